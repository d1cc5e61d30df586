package io.bitnet4j.quant.ste;

/**
 * The closed interval {@code [lo, hi]} of real values a quantizer represents without saturating. A
 * clipped straight-through estimator passes the gradient of {@code x} only when {@code lo <= x <= hi}.
 *
 * @param lo the smallest representable value (the lowest code, dequantized)
 * @param hi the largest representable value (the highest code, dequantized)
 */
public record ClipRange(float lo, float hi) implements ClipRanges {

    public ClipRange {
        if (Float.isNaN(lo) || Float.isNaN(hi)) {
            throw new IllegalArgumentException("clip range [" + lo + ", " + hi + "] has a NaN bound");
        }
        if (lo > hi) {
            throw new IllegalArgumentException("clip range [" + lo + ", " + hi + "] has lo > hi");
        }
    }

    /** {@code [qmin·scale, qmax·scale]}: the range of a symmetric quantizer (zero point 0). */
    public static ClipRange ofSymmetric(float scale, int qmin, int qmax) {
        return ofAffine(scale, 0, qmin, qmax);
    }

    /**
     * {@code [(qmin − zeroPoint)·scale, (qmax − zeroPoint)·scale]}: the range of an affine quantizer
     * whose codes {@code q} in {@code [qmin, qmax]} stand for {@code (q − zeroPoint)·scale}.
     */
    public static ClipRange ofAffine(float scale, int zeroPoint, int qmin, int qmax) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale is " + scale + "; must be positive and finite");
        }
        if (qmin > qmax) {
            throw new IllegalArgumentException("code range " + qmin + ".." + qmax + " is empty");
        }
        // long then double: qmin − zeroPoint can overflow int for extreme arguments.
        return new ClipRange((float) (((long) qmin - zeroPoint) * (double) scale),
                (float) (((long) qmax - zeroPoint) * (double) scale));
    }

    /** Whether {@code x} lies in {@code [lo, hi]} (NaN never does). */
    public boolean contains(float x) {
        return x >= lo && x <= hi;
    }

    /** Every element shares this range. */
    @Override
    public ClipRange rangeOf(int index) {
        return this;
    }
}
