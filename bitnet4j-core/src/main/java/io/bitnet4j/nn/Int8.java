package io.bitnet4j.nn;

/**
 * The integer side of the quantized layers: the int8 code range and a dot product of int8 codes that cannot
 * overflow. Codes themselves are computed by {@link io.bitnet4j.quant.QuantizedActivations#quantize} (int8 layers)
 * and {@link io.bitnet4j.quant.AbsmeanQuantizer} (ternary weights, whose trits are int8 codes in {@code -1..1}).
 *
 * <p>Codes are clamped to {@code [-127, 127]}: symmetric quantization never produces {@code -128}, so
 * negating a code (or the tensor) stays representable and the grid is the same on both sides of zero.
 */
final class Int8 {
    /** The code width of the int8 layers. */
    static final int BITS = 8;

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
     * {@code Σ a[aFrom + k] · b[bFrom + k]} for {@code k < n}: int8 × int8 products accumulated in an
     * {@code int} over chunks of at most {@link #INT_SAFE_TERMS} terms (provably no overflow), the chunk
     * sums added in a {@code long}. For {@code n ≤ INT_SAFE_TERMS} that is one plain int32 accumulation.
     * Either side may hold trits (codes in {@code -1..1}); the bound only gets looser.
     */
    static long dot(byte[] a, int aFrom, byte[] b, int bFrom, int n) {
        long total = 0;
        for (int start = 0, end; start < n; start = end) {
            end = start + Math.min(n - start, INT_SAFE_TERMS); // never overflows, unlike start + INT_SAFE_TERMS
            int acc = 0;
            for (int k = start; k < end; k++) {
                acc += a[aFrom + k] * b[bFrom + k];
            }
            total += acc;
        }
        return total;
    }
}
