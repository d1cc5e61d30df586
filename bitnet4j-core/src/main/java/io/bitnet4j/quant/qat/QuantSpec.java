package io.bitnet4j.quant.qat;

import io.bitnet4j.tensor.Checks;

/**
 * The integer grid a fake quantizer targets and how a real range maps onto it.
 *
 * <p>Codes: signed {@code [−2^(b−1), 2^(b−1) − 1]}, unsigned {@code [0, 2^b − 1]}; a narrow range drops
 * the lowest code so the grid is symmetric about its centre (signed 2-bit narrow is ternary {−1, 0, 1}).
 *
 * <p>{@link #qparams(float, float)} follows PyTorch's observers: the range is first widened to contain 0
 * (so that 0, e.g. padding or a ReLU's output, is exactly representable), then
 * <ul>
 *   <li>symmetric: the zero point is the centre code ({@code 0} signed, {@code 2^(b−1)} unsigned) and
 *       {@code scale = max(|min|, |max|) / ((qmax − qmin) / 2)};</li>
 *   <li>affine: {@code scale = (max − min) / (qmax − qmin)} and {@code zeroPoint = qmin − round(min / scale)},
 *       clamped into {@code [qmin, qmax]}.</li>
 * </ul>
 * The scale is never below {@link QParams#MIN_SCALE}, so an all-zero tensor still gets valid parameters.
 *
 * @param bits code width, 2..16
 * @param symmetric zero point fixed at the centre code (otherwise affine: chosen from the range)
 * @param signed signed codes (otherwise unsigned)
 * @param narrowRange drop the lowest code
 */
public record QuantSpec(int bits, boolean symmetric, boolean signed, boolean narrowRange) {
    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 16;

    public QuantSpec {
        Checks.requireInRange(bits, MIN_BITS, MAX_BITS, "bit width");
    }

    /** The lowest code. */
    public int qmin() {
        int lowest = signed ? -(1 << (bits - 1)) : 0;
        return narrowRange ? lowest + 1 : lowest;
    }

    /** The highest code. */
    public int qmax() {
        return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }

    /** Quantization parameters covering {@code [min, max]} (see the class comment); both must be finite and {@code min <= max}. */
    public QParams qparams(float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is not finite");
        }
        if (min > max) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] has min > max");
        }
        int qmin = qmin();
        int qmax = qmax();
        double lo = Math.min(min, 0.0);
        double hi = Math.max(max, 0.0);
        if (symmetric) {
            double scale = Math.max(-lo, hi) / ((qmax - qmin) / 2.0);
            return new QParams(clampScale(scale), Math.floorDiv(qmin + qmax + 1, 2), qmin, qmax);
        }
        float scale = clampScale((hi - lo) / (qmax - qmin));
        // Rounded in double and clamped before narrowing: lo/scale is bounded by qmax − qmin here,
        // but the clamp also guards the floor-scale case.
        long zp = qmin - Math.round(lo / scale);
        return new QParams(scale, (int) Math.max(qmin, Math.min(qmax, zp)), qmin, qmax);
    }

    /** Like {@link #qparams(float, float)} for an observed range. */
    public QParams qparams(ValueRange range) {
        return qparams(range.min(), range.max());
    }

    private static float clampScale(double scale) {
        return (float) Math.max(scale, QParams.MIN_SCALE);
    }
}
