package io.bitnet4j.quant.qat;

/**
 * A closed real interval {@code [min, max]}: what an observer reports as the range to quantize
 * (possibly narrower than the data, to clip outliers).
 */
public record ValueRange(float min, float max) {
    public ValueRange {
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is not finite");
        }
        if (min > max) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] has min > max");
        }
    }

    /** The smallest and largest element of {@code x} (non-empty, already checked finite by the caller). */
    static ValueRange of(float[] x) {
        float min = x[0];
        float max = x[0];
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new ValueRange(min, max);
    }

    /** {@code max − min}, in double so that it cannot overflow. */
    public double width() {
        return (double) max - min;
    }
}
