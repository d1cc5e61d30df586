package io.bitnet4j.format;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;

/**
 * A plain scalar reference for bitnet.cpp's {@code mul_mat} of an {@link I2_S} weight with float
 * activations, reproducing its float32 output bit for bit. Kernels check themselves against it.
 *
 * <h2>Activations: int8 per token</h2>
 * For each token row {@code x} of length {@code cols}:
 * <ol>
 *   <li>{@code s = (float) (127 / max(max|x|, 1e-5))}, the maximum and the division in double;</li>
 *   <li>{@code q = clamp(rint((float) (x · s)), −128, 127)}, the product in float32, halves to even.</li>
 * </ol>
 *
 * <h2>Product</h2>
 * For weight row {@code r} with codes {@code c = t + 1} and tensor scale {@code w}, bitnet.cpp multiplies the
 * codes (kept unsigned for its byte instructions) and corrects with the activation sum afterwards:
 * {@code y = ((float) Σ c·q − (float) Σ q) / s · w}, each step in float32. That equals {@code Σ t·q / s · w}
 * up to those roundings; we follow bitnet.cpp's steps so the bits agree.
 *
 * <p>Rows must be a multiple of 128 long: bitnet.cpp's kernels consume whole 128-weight runs per row. Its
 * AVX2 kernel also sums {@code c·q} products in 16-bit lanes across up to 32 runs, which could wrap for
 * extreme inputs (many activations at ±127 against +1 codes); this reference sums exactly in {@code int}.
 */
public final class I2sMatmul {
    private I2sMatmul() {}

    /**
     * Activations quantized per token: {@code q} is {@code [tokens, cols]} row-major, {@code scales[t]} the
     * {@code s} of token {@code t} (a value means {@code q / s}). The arrays are shared, not copied.
     */
    public record Activations(int tokens, int cols, byte[] q, float[] scales) {
        public Activations {
            Shape.of(tokens, cols).requireLength(q.length, "int8 activations");
            if (scales.length != tokens) {
                throw new IllegalArgumentException(tokens + " tokens need " + tokens + " scales, got " + scales.length);
            }
        }
    }

    /** Quantizes {@code x} ({@code [tokens, cols]} row-major, finite) as bitnet.cpp does; see the class comment. */
    public static Activations quantizeActivations(float[] x, int cols) {
        Checks.requireNonEmpty(x, "activations");
        if (cols <= 0 || x.length % cols != 0) {
            throw new IllegalArgumentException("activations of length " + x.length + " do not split into rows of " + cols);
        }
        Checks.requireFinite(x, "activations");
        int tokens = x.length / cols;
        byte[] q = new byte[x.length];
        float[] scales = new float[tokens];
        for (int t = 0; t < tokens; t++) {
            scales[t] = quantizeRow(x, t * cols, cols, q, t * cols);
        }
        return new Activations(tokens, cols, q, scales);
    }

    /**
     * Quantizes one token row {@code x[from..from+cols-1]} into {@code q[qOffset..]} and returns its scale
     * {@code s} (steps 1 and 2 of the class comment). The values are not checked; the building block of
     * {@link #quantizeActivations} for callers that keep their own buffers, as the inference kernels do.
     */
    public static float quantizeRow(float[] x, int from, int cols, byte[] q, int qOffset) {
        double max = 0;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, Math.abs((double) x[from + c]));
        }
        float s = (float) (127 / Math.max(max, 1e-5));
        for (int c = 0; c < cols; c++) {
            double r = Math.rint(x[from + c] * s);
            q[qOffset + c] = (byte) Math.max(-128, Math.min(127, r));
        }
        return s;
    }

    /**
     * One output of the product from its integer sums, in bitnet.cpp's float32 steps:
     * {@code ((float) Σc·q − (float) Σq) / s · w} for codes {@code c = t + 1}, activation scale {@code s} and
     * weight scale {@code w}.
     */
    public static float output(int sumCodeTimesQ, int sumQ, float activationScale, float weightScale) {
        return ((float) sumCodeTimesQ - (float) sumQ) / activationScale * weightScale;
    }

    /** {@code y = x · Wᵀ} ({@code [tokens, rows]}) for float activations, quantizing them first. */
    public static float[] matmul(byte[] weights, int rows, int cols, float[] x) {
        return matmul(weights, rows, cols, quantizeActivations(x, cols));
    }

    /** {@code y = x · Wᵀ} ({@code [tokens, rows]}) for a {@code [rows, cols]} I2_S weight, bit-exact with bitnet.cpp. */
    public static float[] matmul(byte[] weights, int rows, int cols, Activations a) {
        int n = Shape.of(rows, cols).size();
        if (cols % I2_S.BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("I2_S matmul: row length " + cols + " is not a multiple of "
                    + I2_S.BLOCK_SIZE + ", which bitnet.cpp's kernels need");
        }
        if (a.cols() != cols) {
            throw new IllegalArgumentException("activations have rows of " + a.cols() + " but the weight has " + cols + " columns");
        }
        float wScale = I2_S.scale(weights, n);
        byte[] trits = I2_S.unpackTrits(weights, n);
        float[] y = new float[Shape.of(a.tokens(), rows).size()];
        for (int t = 0; t < a.tokens(); t++) {
            int xo = t * cols;
            int sumQ = 0;
            for (int c = 0; c < cols; c++) {
                sumQ += a.q()[xo + c];
            }
            for (int r = 0; r < rows; r++) {
                int wo = r * cols;
                int sumCq = 0;
                for (int c = 0; c < cols; c++) {
                    sumCq += (trits[wo + c] + 1) * a.q()[xo + c];
                }
                y[t * rows + r] = output(sumCq, sumQ, a.scales()[t], wScale);
            }
        }
        return y;
    }
}
