package io.bitnet4j.quant;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.util.Arrays;

/**
 * Activations quantized symmetrically to {@code bits}-bit integer codes: element {@code i} is
 * {@code data[i] · scale(row(i))} with codes in {@code [-maxCode, maxCode]}. {@link ActivationQuantizer} makes them
 * with BitNet's absmax scales; {@link #quantize(float[], Shape, float[], int, boolean, Rounding)} with scales the
 * caller chose (the int8 layers of {@code io.bitnet4j.nn} use it for static and dynamic scales).
 *
 * <p>Per token there is one scale per row (a row is the last dimension; the rows are the product of all other
 * dimensions, so {@code [batch, hidden]} and {@code [batch, seq, hidden]} both work); per tensor there is one.
 * A scale of 0 marks an all-zero unit, whose codes are all 0.
 *
 * <p>The arrays are held, not copied, because this sits on the inference hot path: treat them as read-only.
 *
 * @param data     one code per element, row-major
 * @param scales   {@code shape.rows()} scales per token, else one; finite and non-negative
 * @param shape    the activations' shape, any rank ≥ 1
 * @param bits     code width, 2..8
 * @param perToken whether each row has its own scale
 */
public record QuantizedActivations(byte[] data, float[] scales, Shape shape, int bits, boolean perToken) {

    public QuantizedActivations {
        Checks.requireNonNull(data, "activation codes");
        Checks.requireInRange(bits, ActivationQuantizer.MIN_BITS, ActivationQuantizer.MAX_BITS, "activation bits");
        requireScales(scales, shape, perToken);
        shape.requireLength(data.length, "activation codes");
        int max = maxCode(bits);
        for (int i = 0; i < data.length; i++) {
            if (data[i] < -max || data[i] > max) {
                throw new IllegalArgumentException(
                        "activation code " + i + " is " + data[i] + "; " + bits + "-bit codes are in -" + max + ".." + max);
            }
        }
    }

    /**
     * Quantizes {@code x} against scales the caller chose, e.g. a static scale from calibration or a scale policy of
     * its own: {@code code = clamp(round(x / scale), -maxCode, maxCode)}. Values beyond {@code ±maxCode · scale}
     * saturate at {@code ±maxCode}; a scale of 0 gives all-zero codes (an all-zero unit, or one whose scale
     * underflowed). {@link ActivationQuantizer} computes its codes here too when it divides by the scale.
     *
     * @param scales   {@code shape.rows()} scales if {@code perToken}, else one; finite and non-negative. Held, not
     *                 copied, by the result
     * @throws IllegalArgumentException if {@code x} is null, empty, not of the shape's length or not finite (the
     *                                  message gives the index), or if the scales, bits or rounding are invalid
     */
    public static QuantizedActivations quantize(float[] x, Shape shape, float[] scales, int bits, boolean perToken,
            Rounding rounding) {
        Checks.requireNonEmpty(x, "activations");
        requireScales(scales, shape, perToken);
        shape.requireLength(x.length, "activations");
        Checks.requireFinite(x, "activations");
        Checks.requireInRange(bits, ActivationQuantizer.MIN_BITS, ActivationQuantizer.MAX_BITS, "activation bits");
        Checks.requireNonNull(rounding, "rounding");
        int unit = perToken ? shape.lastDim() : x.length;
        byte[] codes = new byte[x.length];
        for (int u = 0; u < scales.length; u++) {
            encode(x, u * unit, unit, scales[u], maxCode(bits), rounding, codes);
        }
        return new QuantizedActivations(codes, scales, shape, bits, perToken);
    }

    /**
     * Writes {@code clamp(round(x / scale), ±maxCode)} for {@code x[from, from + len)} into the same positions of
     * {@code codes}; a zero scale leaves them as they are (0 in a fresh array) instead of dividing by it. The caller
     * has checked the arguments.
     */
    static void encode(float[] x, int from, int len, float scale, int maxCode, Rounding rounding, byte[] codes) {
        if (scale == 0f) {
            return;
        }
        for (int i = from; i < from + len; i++) {
            codes[i] = (byte) rounding.roundClamp(x[i] / scale, -maxCode, maxCode);
        }
    }

    private static void requireScales(float[] scales, Shape shape, boolean perToken) {
        Checks.requireNonNull(scales, "activation scales");
        Checks.requireNonNull(shape, "activation shape");
        int need = perToken ? shape.rows() : 1;
        if (scales.length != need) {
            throw new IllegalArgumentException((perToken ? "per-token" : "per-tensor") + " activations of shape " + shape
                    + " need " + need + " scales, got " + scales.length);
        }
        for (int i = 0; i < scales.length; i++) {
            if (!Float.isFinite(scales[i]) || scales[i] < 0) {
                throw new IllegalArgumentException("activation scale " + i + " is " + scales[i] + "; must be finite and non-negative");
            }
        }
    }

    /** The largest code, {@code 2^(bits-1) - 1}: 127 for int8 (symmetric, so -128 is never used). */
    public static int maxCode(int bits) {
        return (1 << (bits - 1)) - 1;
    }

    /** The largest code of these activations. */
    public int maxCode() {
        return maxCode(bits);
    }

    /** The scale that applies to row {@code row}. */
    public float scaleOfRow(int row) {
        return scales[perToken ? row : 0];
    }

    /** Back to floats: {@code code · scale} per element. */
    public float[] dequantize() {
        int width = shape.lastDim();
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] * scaleOfRow(i / width);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedActivations q && bits == q.bits && perToken == q.perToken && shape.equals(q.shape)
                && Arrays.equals(data, q.data) && Arrays.equals(scales, q.scales);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * shape.hashCode() + Arrays.hashCode(data)) + Arrays.hashCode(scales) + bits + (perToken ? 1 : 0);
    }

    @Override
    public String toString() {
        return "QuantizedActivations" + shape + " int" + bits + (perToken ? " per token" : " per tensor");
    }
}
