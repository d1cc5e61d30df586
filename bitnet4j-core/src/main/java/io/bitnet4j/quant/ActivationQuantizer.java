package io.bitnet4j.quant;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;

/**
 * Absmax activation quantization, as BitNet b1.58 applies it before every ternary matmul: per token (each
 * row of the last dimension) or per tensor, {@code scale = max|x| / Qp} and
 * {@code q = clamp(round(x / scale), -Qp, Qp)} with {@code Qp = 2^(bits-1) - 1} (127 for int8). The range is
 * symmetric: BitNet's reference clamps to [-128, 127], but {@code |x / scale| ≤ Qp}, so -128 never occurs.
 *
 * <p><b>The eps floor.</b> The scale uses {@code max(max|x|, eps)} instead of {@code max|x|}, as BitNet's
 * reference and bitnet.cpp do, so a row of tiny values is quantized against {@code eps} rather than blown up
 * to full range (its codes are small and it dequantizes close to its true, tiny values; nothing is zeroed).
 * An exactly all-zero unit (max|x| = 0) gets scale 0 and codes 0, so it dequantizes to exact zeros, never NaN.
 * PyTorch's dynamic quantization has no floor, {@code scale = max|x| / Qp}: that is {@link #unflooredScale}, for
 * callers that choose their own scales and quantize with
 * {@link QuantizedActivations#quantize(float[], Shape, float[], int, boolean, Rounding)}.
 *
 * <p><b>Scale form.</b> {@link ScaleForm#DIVIDE} (our default) divides by the stored scale. bitnet.cpp instead
 * keeps the inverse {@code s = Qp / max(max|x|, eps)}, codes {@code round(x · s)} and divides the integer dot
 * product by {@code s}; {@link ScaleForm#MULTIPLY_INVERSE} does exactly that arithmetic (in float32, so with
 * {@link Rounding#HALF_EVEN} its codes match bitnet.cpp's bit for bit) and stores {@code 1 / s} as the scale.
 * The two forms differ only for values within an ulp of a rounding half. (bitnet.cpp compares max|x| with the
 * double {@code 1e-5}, we with the float eps; that only matters for rows whose max|x| is below eps.)
 *
 * @param bits     code width, 2..8
 * @param perToken one scale per row (token) if true, one for the whole tensor if false
 * @param eps      the floor of max|x|; positive, with {@code Qp / eps} finite
 * @param rounding how {@code x / scale} is rounded
 * @param form     divide by the scale, or multiply by its inverse as bitnet.cpp
 */
public record ActivationQuantizer(int bits, boolean perToken, float eps, Rounding rounding, ScaleForm form) {

    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 8;
    public static final float DEFAULT_EPS = 1e-5f;

    /** Whether codes are {@code round(x / scale)} or bitnet.cpp's {@code round(x · (Qp / max))}. */
    public enum ScaleForm {
        DIVIDE,
        MULTIPLY_INVERSE
    }

    public ActivationQuantizer {
        Checks.requireInRange(bits, MIN_BITS, MAX_BITS, "activation bits");
        Checks.requireNonNull(rounding, "rounding");
        Checks.requireNonNull(form, "scale form");
        int qp = QuantizedActivations.maxCode(bits);
        if (!(eps > 0) || !Float.isFinite(eps) || !Float.isFinite(qp / eps) || !(eps / qp > 0)) {
            throw new IllegalArgumentException("activation eps is " + eps
                    + "; must be positive and finite, and large enough that " + qp + " / eps is finite");
        }
    }

    /** The BitNet b1.58 default: int8, per token, eps 1e-5, half away from zero, divide. */
    public static ActivationQuantizer int8PerToken() {
        return new ActivationQuantizer(8, true, DEFAULT_EPS, Rounding.HALF_AWAY_FROM_ZERO, ScaleForm.DIVIDE);
    }

    /** The largest code, {@code Qp = 2^(bits-1) - 1}. */
    public int maxCode() {
        return QuantizedActivations.maxCode(bits);
    }

    /**
     * {@code max|x[from, to)| / Qp} with no eps floor, PyTorch's dynamic-quantization scale. It is 0 for an
     * all-zero span and also for a span so tiny that the division underflows; quantizing against a zero scale gives
     * zero codes.
     *
     * @throws IllegalArgumentException if {@code x} is null, {@code [from, to)} is not a range of it, the span holds
     *                                  NaN or an infinity, or {@code bits} is out of range
     */
    public static float unflooredScale(float[] x, int from, int to, int bits) {
        Checks.requireNonNull(x, "activations");
        Checks.requireInRange(bits, MIN_BITS, MAX_BITS, "activation bits");
        if (from < 0 || from > to || to > x.length) {
            throw new IllegalArgumentException("span [" + from + ", " + to + ") is not within the " + x.length + " activations");
        }
        return absmax(x, from, to) / QuantizedActivations.maxCode(bits);
    }

    /**
     * Quantizes {@code x} of shape {@code shape} (any rank ≥ 1; the last dimension is a token's features).
     *
     * @throws IllegalArgumentException if {@code x} is null, empty, not of the shape's length, or holds NaN or an
     *                                  infinity (the message gives its flat index)
     */
    public QuantizedActivations quantize(float[] x, Shape shape) {
        Checks.requireNonEmpty(x, "activations");
        Checks.requireNonNull(shape, "activation shape");
        shape.requireLength(x.length, "activations");
        int unit = perToken ? shape.lastDim() : x.length;
        byte[] codes = new byte[x.length];
        float[] scales = new float[x.length / unit];
        for (int u = 0; u < scales.length; u++) {
            scales[u] = quantizeUnit(x, u * unit, unit, codes);
        }
        return new QuantizedActivations(codes, scales, shape, bits, perToken);
    }

    /** {@code x} after a quantize/dequantize round trip, as the float (reference and QAT) paths use it. */
    public float[] fakeQuantize(float[] x, Shape shape) {
        return quantize(x, shape).dequantize();
    }

    /** Writes the codes of {@code x[from, from + len)} and returns their scale. */
    private float quantizeUnit(float[] x, int from, int len, byte[] codes) {
        float absmax = absmax(x, from, from + len);
        if (absmax == 0f) {
            return 0f; // all zeros: codes stay 0, and scale 0 says so
        }
        int qp = maxCode();
        float floored = Math.max(absmax, eps);
        if (form == ScaleForm.DIVIDE) {
            float scale = floored / qp;
            QuantizedActivations.encode(x, from, len, scale, qp, rounding, codes);
            return scale;
        }
        float inverse = qp / floored;
        for (int i = from; i < from + len; i++) {
            codes[i] = (byte) rounding.roundClamp(x[i] * inverse, -qp, qp);
        }
        return 1f / inverse;
    }

    /** {@code max|x[from, to)|}; throws naming the first NaN or infinity of the span. */
    private static float absmax(float[] x, int from, int to) {
        float max = 0f;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(x[i]));
        }
        if (!Float.isFinite(max)) { // Math.abs and Math.max carry NaN and infinities through: look for it only now
            for (int i = from; i < to; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new IllegalArgumentException("activations have a non-finite value " + x[i] + " at index " + i);
                }
            }
        }
        return max;
    }
}
