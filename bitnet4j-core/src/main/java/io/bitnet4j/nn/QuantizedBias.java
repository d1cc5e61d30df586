package io.bitnet4j.nn;

import io.bitnet4j.quant.Rounding;

/**
 * The int32 bias of an int8 layer, re-derived from the float bias for every input scale.
 *
 * <p>The accumulator of output {@code o} counts in units of {@code s_x · s_w[o]}, so the bias must be
 * quantized in those units: {@code bias_q[o] = round(b[o] / (s_x · s_w[o]))}. That depends on the
 * input scale, so a bias quantized once for one scale is wrong for any other (by the factor
 * {@code s_old / s_new}). Keeping the float bias as the source of truth and keying the cache by the
 * exact input scale makes a stale bias impossible. The cache holds the last scale only: a static layer
 * always hits it; dynamic scales change every call (or row), and re-quantizing {@code out} values is
 * cheap next to the {@code out · in} products of a row.
 *
 * <p>Some channels cannot carry an int32 bias at a given scale: when {@code s_x · s_w[o] == 0} (an
 * all-zero input row or weight row, whose products are all exactly 0) or when the code would not fit in
 * an int32 (a bias ≥ 2^31 accumulator units). Those channels keep their float bias, added after
 * rescaling; that equals the integer formula to float rounding, since the int32 code would have been
 * exact to better than one part in 2^31.
 */
final class QuantizedBias {
    /** The bias at one input scale: {@code y = (acc + codes[o]) · s_x · s_w[o] + floatPart[o]}. */
    record AtInputScale(float inputScale, int[] codes, float[] floatPart) {}

    private final float[] bias; // null: no bias
    private final float[] weightScales;
    private final Rounding rounding;
    private final AtInputScale none;
    private volatile AtInputScale last;

    /** {@code bias} (may be null) and {@code weightScales}, one per output, are kept, not copied. */
    QuantizedBias(float[] bias, float[] weightScales, Rounding rounding) {
        this.bias = bias;
        this.weightScales = weightScales;
        this.rounding = rounding;
        int out = weightScales.length;
        this.none = new AtInputScale(Float.NaN, new int[out], new float[out]);
    }

    /** The bias for input scale {@code inputScale} (finite, ≥ 0); the arrays must not be modified. */
    AtInputScale at(float inputScale) {
        if (bias == null) {
            return none;
        }
        AtInputScale cached = last;
        if (cached != null && Float.floatToIntBits(cached.inputScale()) == Float.floatToIntBits(inputScale)) {
            return cached;
        }
        AtInputScale fresh = quantize(inputScale);
        last = fresh;
        return fresh;
    }

    private AtInputScale quantize(float inputScale) {
        int out = bias.length;
        int[] codes = new int[out];
        float[] floatPart = new float[out];
        for (int o = 0; o < out; o++) {
            double unit = (double) inputScale * weightScales[o]; // exact: two floats multiply exactly in double
            double units = unit == 0 ? Double.POSITIVE_INFINITY : bias[o] / unit;
            if (Math.abs(units) <= Integer.MAX_VALUE) {
                codes[o] = (int) rounding.round(units); // in double: a float cannot hold every int32 code
            } else {
                floatPart[o] = bias[o];
            }
        }
        return new AtInputScale(inputScale, codes, floatPart);
    }
}
