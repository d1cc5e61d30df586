package io.bitnet4j.quant;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;

/**
 * Ternary weight quantization by absmean, as in BitNet b1.58: within each scale unit of the
 * {@link Granularity}, {@code gamma = mean|W| + eps} and {@code q = clamp(round(W / gamma), -1, 1)}; the
 * result is a {@link TernaryWeight} whose scales are the gammas, so {@code q · gamma} approximates {@code W}.
 *
 * <p>Per tensor is the paper's and bitnet.cpp's choice; per row, per group along the input axis and per
 * block over the flattened tensor trade a few more scales for a closer fit (see {@link Granularity}).
 *
 * <p>{@code eps} keeps an all-zero unit from dividing by zero. {@link EpsMode#ADD} adds it, as the BitNet
 * b1.58 paper defines gamma; {@link EpsMode#CLAMP} uses {@code 1 / max(mean, eps)} exactly as bitnet.cpp's GGUF
 * converter does, for bit parity with it (pair it with {@link Rounding#HALF_EVEN}: the converter rounds with
 * {@code torch.round}). The mean is summed in double, so it can differ from numpy's float32 pairwise sum in the
 * last ulp; that moves a trit only for a weight within an ulp of a rounding half.
 *
 * <p>With {@code eps = 0} (allowed in ADD mode) a unit whose mean is 0 gets scale 0 and all-zero trits.
 *
 * @param granularity which weights share a scale
 * @param rounding    how {@code W / gamma} is rounded; half away from zero by default
 * @param eps         non-negative and finite; in CLAMP mode positive with {@code 1 / eps} finite
 * @param epsMode     how eps enters the scale
 */
public record AbsmeanQuantizer(Granularity granularity, Rounding rounding, float eps, EpsMode epsMode) {

    /** The eps of the BitNet reference code and bitnet.cpp's converter. */
    public static final float DEFAULT_EPS = 1e-5f;

    public AbsmeanQuantizer {
        Checks.requireNonNull(granularity, "granularity");
        Checks.requireNonNull(rounding, "rounding");
        Checks.requireNonNull(epsMode, "eps mode");
        if (!Float.isFinite(eps) || eps < 0) {
            throw new IllegalArgumentException("absmean eps is " + eps + "; must be finite and non-negative");
        }
        if (epsMode == EpsMode.CLAMP && !(eps > 0 && Float.isFinite(1f / eps))) {
            throw new IllegalArgumentException("absmean eps is " + eps + "; CLAMP mode divides by it, so it must be positive with a finite inverse");
        }
    }

    /** Absmean with the given granularity and the defaults: half away from zero, eps 1e-5, {@link EpsMode#ADD}. */
    public static AbsmeanQuantizer of(Granularity granularity) {
        return new AbsmeanQuantizer(granularity, Rounding.HALF_AWAY_FROM_ZERO, DEFAULT_EPS, EpsMode.ADD);
    }

    /**
     * Quantizes {@code weights} of the given shape (row-major, last dimension the input axis).
     *
     * @throws IllegalArgumentException if the array is null, empty, of the wrong length or holds NaN or an
     *                                  infinity, or if the shape does not divide into the granularity's units
     */
    public TernaryWeight quantize(float[] weights, Shape shape) {
        Checks.requireNonEmpty(weights, "weights");
        Checks.requireNonNull(shape, "weight shape");
        shape.requireLength(weights.length, "weights");
        Checks.requireFinite(weights, "weights");
        int unit = granularity.unitLength(shape);
        byte[] trits = new byte[weights.length];
        float[] scales = new float[weights.length / unit];
        for (int u = 0; u < scales.length; u++) {
            scales[u] = quantizeUnit(weights, u * unit, unit, trits);
        }
        return TernaryWeight.of(shape, granularity, trits, scales);
    }

    /** The weights after a quantize/dequantize round trip: each becomes {@code trit · gamma}. */
    public float[] fakeQuantize(float[] weights, Shape shape) {
        return quantize(weights, shape).dequantize();
    }

    /** Writes the trits of {@code w[from, from + len)} and returns their scale. */
    private float quantizeUnit(float[] w, int from, int len, byte[] trits) {
        double sum = 0; // double: a float sum of a large unit would drift, and could overflow for huge weights
        for (int i = from; i < from + len; i++) {
            sum += Math.abs(w[i]);
        }
        float mean = (float) (sum / len);
        if (epsMode == EpsMode.ADD) {
            float gamma = mean + eps;
            if (gamma == 0f) {
                return 0f; // every weight is 0 (eps 0): trits stay 0 instead of 0/0
            }
            for (int i = from; i < from + len; i++) {
                trits[i] = (byte) rounding.roundClamp(w[i] / gamma, -1, 1);
            }
            return gamma;
        }
        // CLAMP: the converter multiplies by the float32 inverse and stores t / inv; we store 1 / inv,
        // which gives the same dequantized value (±1 / inv) bit for bit.
        float inv = 1f / Math.max(mean, eps);
        for (int i = from; i < from + len; i++) {
            trits[i] = (byte) rounding.roundClamp(w[i] * inv, -1, 1);
        }
        return 1f / inv;
    }
}
