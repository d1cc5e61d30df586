package io.bitnet4j.nn;

import io.bitnet4j.quant.ActivationQuantizer;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.QuantizedActivations;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.util.Objects;

/**
 * An int8 linear layer: symmetric int8 weights, int8 activations, int32 bias and integer accumulation.
 *
 * <p>For input row {@code x} with scale {@code s_x} (see {@link ActivationScaling}) and output
 * {@code o} with weight scale {@code s_w[o]}:
 * <pre>
 *   x_q = clamp(round(x / s_x), ±127)           w_q = clamp(round(w / s_w), ±127)   (s_w = max|w| / 127)
 *   acc = Σ x_q · w_q                             (int8 × int8, summed exactly; see below)
 *   y   = (acc + bias_q) · s_x · s_w             bias_q = round(b / (s_x · s_w))   (int32)
 * </pre>
 * Every product is at most {@code 127² = 16129}, so an int32 sum cannot overflow for up to 133,144
 * inputs (more than 2^17); longer rows are summed in int32 chunks into a long, so the accumulation is
 * exact for any width.
 *
 * <p>The int32 bias is only meaningful for one input scale. The float bias is the source of truth and
 * {@code bias_q} is re-derived whenever the scale differs from the last one used: per call for dynamic
 * per-tensor scales, per row for dynamic per-token scales, and once per static scale. A layer never
 * carries a bias quantized for another scale over to a new one.
 *
 * <p>Compared with the float computation on the fake-quantized operands ({@link #forwardReference}),
 * the only differences are the rounding of the bias to a multiple of {@code s_x · s_w} (at most
 * {@code ½ · s_x · s_w} per output) and float rounding.
 *
 * <p>Immutable and thread-safe; {@link #withActivationScaling} and {@link #calibrated} return new layers
 * that share the quantized weights.
 */
public final class QuantizedLinear implements Linear {

    /**
     * How a layer quantizes.
     *
     * @param weightGranularity {@link Granularity.PerRow} (one scale per output channel) or
     *                          {@link Granularity.PerTensor}; group and block scales are rejected because an
     *                          integer accumulator can carry only one weight scale per output
     * @param activationScaling the input scale: static or dynamic
     * @param rounding          used for weights, activations and the bias
     */
    public record Options(Granularity weightGranularity, ActivationScaling activationScaling, Rounding rounding) {
        public Options {
            Objects.requireNonNull(weightGranularity, "weight granularity");
            Objects.requireNonNull(activationScaling, "activation scaling");
            Objects.requireNonNull(rounding, "rounding");
            if (!(weightGranularity instanceof Granularity.PerRow || weightGranularity instanceof Granularity.PerTensor)) {
                throw new IllegalArgumentException("int8 weights need a per-row (per output channel) or per-tensor scale, not "
                        + weightGranularity + ": an integer accumulator can only be rescaled once per output");
            }
        }

        /** Per output channel weights, dynamic per-token activations, rounding half away from zero. */
        public static Options defaults() {
            return new Options(Granularity.perRow(), ActivationScaling.dynamicPerToken(), Rounding.HALF_AWAY_FROM_ZERO);
        }

        public Options withActivationScaling(ActivationScaling scaling) {
            return new Options(weightGranularity, scaling, rounding);
        }

        public Options withWeightGranularity(Granularity granularity) {
            return new Options(granularity, activationScaling, rounding);
        }

        public Options withRounding(Rounding r) {
            return new Options(weightGranularity, activationScaling, r);
        }
    }

    private final int out;
    private final int in;
    private final byte[] weightCodes;
    private final float[] weightScales; // one per output channel (all equal for per-tensor)
    private final float[] bias;         // null: no bias
    private final QuantizedBias quantizedBias;
    private final Options options;

    /**
     * Quantizes float weights.
     *
     * @param weights     {@code [out, in]} row-major, finite
     * @param weightShape {@code [out, in]}
     * @param bias        {@code [out]}, finite, or null for none
     * @throws IllegalArgumentException on a null, empty, non-finite or wrongly sized argument
     */
    public QuantizedLinear(float[] weights, Shape weightShape, float[] bias, Options options) {
        Checks.requireNonEmpty(weights, "weights");
        Objects.requireNonNull(weightShape, "weight shape");
        Objects.requireNonNull(options, "options");
        if (weightShape.rank() != 2) {
            throw new IllegalArgumentException("weight shape " + weightShape + " must be [out, in]");
        }
        weightShape.requireLength(weights.length, "weights");
        Checks.requireFinite(weights, "weights");
        this.out = weightShape.dim(0);
        this.in = weightShape.dim(1);
        if (bias != null) {
            if (bias.length != out) {
                throw new IllegalArgumentException("bias has " + bias.length + " elements but the layer has " + out + " outputs");
            }
            Checks.requireFinite(bias, "bias");
        }
        this.options = options;
        // Weights follow the dynamic-input rule, an output channel (a row of [out, in]) playing the part of a token.
        ActivationScaling weightScaling = options.weightGranularity() instanceof Granularity.PerTensor
                ? ActivationScaling.dynamicPerTensor()
                : ActivationScaling.dynamicPerToken();
        this.weightScales = weightScaling.rowScales(weights, weightShape);
        this.weightCodes = QuantizedActivations.quantize(weights, weightShape, weightScales, Int8.BITS, true,
                options.rounding()).data();
        this.bias = bias == null ? null : bias.clone();
        this.quantizedBias = new QuantizedBias(this.bias, weightScales, options.rounding());
    }

    private QuantizedLinear(QuantizedLinear base, Options options) {
        this.out = base.out;
        this.in = base.in;
        this.weightCodes = base.weightCodes;
        this.weightScales = base.weightScales;
        this.bias = base.bias;
        this.quantizedBias = base.quantizedBias; // keyed by input scale, so safe to share
        this.options = options;
    }

    /** This layer with another input scaling (the weights are shared, the bias is re-quantized as needed). */
    public QuantizedLinear withActivationScaling(ActivationScaling scaling) {
        return new QuantizedLinear(this, options.withActivationScaling(Objects.requireNonNull(scaling, "activation scaling")));
    }

    /**
     * This layer with a static input scale calibrated on {@code sample}: {@code max|sample| / 127}.
     *
     * @throws IllegalArgumentException if the sample is malformed, non-finite or all zero
     */
    public QuantizedLinear calibrated(float[] sample, Shape sampleShape) {
        requireInput(sample, sampleShape, "calibration sample");
        Checks.requireFinite(sample, "calibration sample");
        float scale = ActivationQuantizer.unflooredScale(sample, 0, sample.length, Int8.BITS);
        if (scale == 0f) {
            throw new IllegalArgumentException("calibration sample is all zeros (or too small to scale); a static scale needs a non-zero sample");
        }
        return withActivationScaling(ActivationScaling.fixedScale(scale));
    }

    /** The integer path: int8 codes, exact integer accumulation, int32 bias, one rescale per output. */
    @Override
    public float[] forward(float[] x, Shape inputShape) {
        QuantizedActivations q = quantizeInput(x, inputShape);
        byte[] xCodes = q.data();
        int rows = inputShape.rows();
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            float sx = q.scaleOfRow(r);
            QuantizedBias.AtInputScale b = quantizedBias.at(sx);
            for (int o = 0; o < out; o++) {
                long acc = Int8.dot(xCodes, r * in, weightCodes, o * in, in);
                double unit = (double) sx * weightScales[o];
                y[r * out + o] = (float) ((acc + b.codes()[o]) * unit + b.floatPart()[o]);
            }
        }
        return y;
    }

    /**
     * The float reference of {@link #forward}: dequantized weights times fake-quantized activations
     * (the same codes and scales), plus the float bias, summed in double. Slow; for tests and debugging.
     */
    public float[] forwardReference(float[] x, Shape inputShape) {
        float[] xq = quantizeInput(x, inputShape).dequantize();
        float[] w = dequantizedWeights();
        int rows = inputShape.rows();
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    sum += (double) xq[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = (float) sum;
            }
        }
        return y;
    }

    private QuantizedActivations quantizeInput(float[] x, Shape inputShape) {
        requireInput(x, inputShape, "input");
        return options.activationScaling().quantize(x, inputShape, options.rounding());
    }

    private void requireInput(float[] x, Shape shape, String what) {
        Checks.requireNonEmpty(x, what);
        Objects.requireNonNull(shape, what + " shape");
        if (shape.rank() < 2) {
            throw new IllegalArgumentException(what + " shape " + shape + " has rank " + shape.rank()
                    + "; the layer takes [batch, in] or [batch, seq, in]");
        }
        outputShape(shape); // checks the last dimension
        shape.requireLength(x.length, what);
    }

    @Override
    public int inFeatures() {
        return in;
    }

    @Override
    public int outFeatures() {
        return out;
    }

    @Override
    public long parameterCount() {
        return (long) out * in + (bias == null ? 0 : out);
    }

    public Options options() {
        return options;
    }

    /** The int8 weight codes {@code [out, in]}, each in {@code [-127, 127]} (a copy). */
    public byte[] weightCodes() {
        return weightCodes.clone();
    }

    /** The weight scale of each output channel (all equal for per-tensor weights; a copy). */
    public float[] weightScales() {
        return weightScales.clone();
    }

    /** {@code code · scale} for every weight, {@code [out, in]}. */
    public float[] dequantizedWeights() {
        return new QuantizedActivations(weightCodes, weightScales, Shape.of(out, in), Int8.BITS, true).dequantize();
    }

    /** The float bias (a copy), or null if the layer has none. */
    public float[] bias() {
        return bias == null ? null : bias.clone();
    }

    @Override
    public String toString() {
        return "QuantizedLinear[" + out + "×" + in + (bias == null ? "" : ", bias") + ", weights "
                + options.weightGranularity() + ", inputs " + options.activationScaling() + ", " + options.rounding() + "]";
    }
}
