package io.bitnet4j.nn;

import io.bitnet4j.quant.Rounding;

/**
 * Symmetric int8 arithmetic shared by weights and activations: absmax scales, quantization of a span
 * and an int8 dot product that cannot overflow.
 *
 * <p>Codes are clamped to {@code [-127, 127]}: symmetric quantization never produces {@code -128}, so
 * negating a code (or the tensor) stays representable and the grid is the same on both sides of zero.
 */
final class Int8 {
    /** The largest code magnitude; {@code -128} is never used. */
    static final int MAX_CODE = 127;

    /**
     * The longest dot product whose sum is guaranteed to fit in an {@code int}: every term is at most
     * {@code 127 · 127 = 16129} in magnitude, and {@code 133_144 · 16129 = 2_147_479_576 ≤ 2^31 − 1}.
     * That covers every input width of today's models (≤ 2^16 with room to spare); longer rows are
     * summed in chunks of this length into a {@code long}.
     */
    static final int INT_SAFE_TERMS = Integer.MAX_VALUE / (MAX_CODE * MAX_CODE);

    private Int8() {}

    /**
     * {@code max|x[from..to)| / 127}: the scale that maps the span's largest magnitude to code 127. It is
     * 0 for an all-zero span (and for spans so tiny that the division underflows), whose codes are then 0.
     */
    static float absmaxScale(float[] x, int from, int to) {
        float max = 0f;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(x[i]));
        }
        return max / MAX_CODE;
    }

    /**
     * Writes {@code clamp(round(x / scale), -127, 127)} for {@code x[from..to)} into {@code codes} at
     * {@code codesFrom}. A zero scale means "all zero" and gives zero codes rather than dividing by 0.
     * Values must be finite (checked by the callers, where the message can say which tensor).
     */
    static void quantize(float[] x, int from, int to, float scale, Rounding rounding, byte[] codes, int codesFrom) {
        if (scale == 0f) {
            java.util.Arrays.fill(codes, codesFrom, codesFrom + (to - from), (byte) 0);
            return;
        }
        for (int i = from; i < to; i++) {
            codes[codesFrom + i - from] = (byte) rounding.roundClamp(x[i] / scale, -MAX_CODE, MAX_CODE);
        }
    }

    /** {@code code · rowScales[row]} for every code, rows of length {@code rowLength}: what the codes stand for. */
    static float[] dequantize(byte[] codes, float[] rowScales, int rowLength) {
        float[] out = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = codes[i] * rowScales[i / rowLength];
        }
        return out;
    }

    /**
     * {@code Σ a[aFrom + k] · b[bFrom + k]} for {@code k < n}: int8 × int8 products accumulated in an
     * {@code int} over chunks of at most {@link #INT_SAFE_TERMS} terms (provably no overflow), the chunk
     * sums added in a {@code long}. For {@code n ≤ INT_SAFE_TERMS} that is one plain int32 accumulation.
     */
    static long dot(byte[] a, int aFrom, byte[] b, int bFrom, int n) {
        long total = 0;
        for (int start = 0; start < n; start += INT_SAFE_TERMS) {
            int end = Math.min(n, start + INT_SAFE_TERMS);
            int acc = 0;
            for (int k = start; k < end; k++) {
                acc += a[aFrom + k] * b[bFrom + k];
            }
            total += acc;
        }
        return total;
    }
}
