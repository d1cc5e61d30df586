package io.bitnet4j.kernel;

/**
 * Per-thread working memory of the matrix kernels, allocated once per worker so that a multiplication
 * allocates nothing: a kernel decodes one weight row into it and reuses that row for every token.
 */
public final class KernelScratch {
    final float[] row;
    final byte[] codes;
    final float[] blockScales;
    final float[] lanes = new float[64];
    final int[] laneSums = new int[16];

    /** Scratch for weight rows of up to {@code maxCols} elements. */
    public KernelScratch(int maxCols) {
        if (maxCols <= 0) {
            throw new IllegalArgumentException("kernel scratch needs a positive row length, got " + maxCols);
        }
        this.row = new float[maxCols];
        this.codes = new byte[maxCols];
        this.blockScales = new float[maxCols / 32 + 1];
    }

    /** The longest weight row this scratch can hold. */
    public int maxCols() {
        return row.length;
    }
}
