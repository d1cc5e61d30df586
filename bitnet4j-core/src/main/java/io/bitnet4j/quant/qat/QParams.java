package io.bitnet4j.quant.qat;

import io.bitnet4j.quant.Rounding;
import io.bitnet4j.quant.ste.ClipRange;
import io.bitnet4j.tensor.Checks;

/**
 * Affine quantization parameters: code {@code q} in {@code [qmin, qmax]} stands for
 * {@code (q − zeroPoint)·scale}, and {@code x} quantizes to {@code clamp(round(x/scale) + zeroPoint, qmin, qmax)}
 * (rounded before the zero point is added, as PyTorch, so the tie-breaking of {@link Rounding#HALF_EVEN}
 * does not depend on the zero point's parity).
 *
 * @param scale the step between adjacent codes; positive and finite
 * @param zeroPoint the code that stands for 0; inside {@code [qmin, qmax]}
 * @param qmin the lowest code
 * @param qmax the highest code
 */
public record QParams(float scale, int zeroPoint, int qmin, int qmax) {
    /** The smallest scale handed out (float32 machine epsilon, as PyTorch): keeps an all-zero tensor's scale positive. */
    public static final float MIN_SCALE = Math.ulp(1.0f);

    public QParams {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale is " + scale + "; must be positive and finite");
        }
        if (qmin >= qmax) {
            throw new IllegalArgumentException("code range " + qmin + ".." + qmax + " needs qmin < qmax");
        }
        if (zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " is outside the code range " + qmin + ".." + qmax);
        }
    }

    /** The code of {@code x}: rounded, then clamped in int range, so no value can wrap. {@code x} must not be NaN. */
    public int quantize(float x, Rounding rounding) {
        if (Float.isNaN(x)) {
            throw new IllegalArgumentException("cannot quantize NaN");
        }
        // x/scale may be ±Inf for huge x; the clamp below takes care of it before any int conversion.
        double code = (double) rounding.round(x / scale) + zeroPoint;
        if (code <= qmin) {
            return qmin;
        }
        if (code >= qmax) {
            return qmax;
        }
        return (int) code;
    }

    /** The real value of code {@code q}. */
    public float dequantize(int q) {
        return (float) (((long) q - zeroPoint) * (double) scale);
    }

    /** {@code dequantize(quantize(x))}. */
    public float fakeQuantize(float x, Rounding rounding) {
        return dequantize(quantize(x, rounding));
    }

    /** The representable range {@code [(qmin − zeroPoint)·scale, (qmax − zeroPoint)·scale]}, for a clipped STE. */
    public ClipRange clipRange() {
        return ClipRange.ofAffine(scale, zeroPoint, qmin, qmax);
    }

    /** Whether every code fits a byte: {@code [qmin, qmax]} inside int8 {@code [−128, 127]} or uint8 {@code [0, 255]}. */
    public boolean fitsInByte() {
        return (qmin >= Byte.MIN_VALUE && qmax <= Byte.MAX_VALUE) || (qmin >= 0 && qmax <= 0xFF);
    }

    /** Whether byte codes are read as unsigned ({@code b & 0xFF}): true when no code is negative. */
    public boolean unsignedCodes() {
        return qmin >= 0;
    }

    /**
     * The codes of {@code x} narrowed to bytes (uint8 codes above 127 are stored two's-complement and read
     * back with {@code & 0xFF}, see {@link #unsignedCodes()}). Each code is clamped as an int before the
     * narrowing cast, so nothing wraps.
     */
    public byte[] quantizeToBytes(float[] x, Rounding rounding) {
        if (!fitsInByte()) {
            throw new IllegalArgumentException("codes " + qmin + ".." + qmax + " do not fit in a byte; use quantize()");
        }
        Checks.requireNonEmpty(x, "tensor to quantize");
        Checks.requireFinite(x, "tensor to quantize");
        byte[] codes = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            codes[i] = (byte) quantize(x[i], rounding);
        }
        return codes;
    }

    /** The real values of byte codes written by {@link #quantizeToBytes}. */
    public float[] dequantizeBytes(byte[] codes) {
        if (!fitsInByte()) {
            throw new IllegalArgumentException("codes " + qmin + ".." + qmax + " do not fit in a byte");
        }
        if (codes == null || codes.length == 0) {
            throw new IllegalArgumentException("byte codes are " + (codes == null ? "null" : "empty"));
        }
        boolean unsigned = unsignedCodes();
        float[] x = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            int q = unsigned ? codes[i] & 0xFF : codes[i];
            if (q < qmin || q > qmax) {
                throw new IllegalArgumentException("code " + q + " at index " + i + " is outside " + qmin + ".." + qmax);
            }
            x[i] = dequantize(q);
        }
        return x;
    }
}
