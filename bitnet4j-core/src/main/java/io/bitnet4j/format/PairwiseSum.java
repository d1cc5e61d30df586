package io.bitnet4j.format;

/**
 * numpy's float32 summation order ({@code np.add.reduce} on a contiguous array), so that a mean computed in
 * Java rounds exactly as the Python tools that produced reference data. numpy adds pairwise: below 8
 * elements one running sum; up to 128, eight interleaved running sums combined as a tree, then the tail;
 * above 128, the two halves (split at a multiple of 8) summed separately and added.
 */
final class PairwiseSum {
    private static final int BLOCK = 128;
    private static final int LANES = 8;

    private PairwiseSum() {}

    static float float32(float[] a) {
        return sum(a, 0, a.length);
    }

    private static float sum(float[] a, int from, int n) {
        if (n < LANES) {
            float s = -0f; // so that a sum of only −0 stays −0, as numpy
            for (int i = 0; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        if (n <= BLOCK) {
            float[] r = new float[LANES];
            System.arraycopy(a, from, r, 0, LANES);
            int i = LANES;
            for (; i < n - n % LANES; i += LANES) {
                for (int j = 0; j < LANES; j++) {
                    r[j] += a[from + i + j];
                }
            }
            float s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        int half = n / 2;
        half -= half % LANES;
        return sum(a, from, half) + sum(a, from + half, n - half);
    }
}
