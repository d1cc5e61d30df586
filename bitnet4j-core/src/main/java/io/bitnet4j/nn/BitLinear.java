package io.bitnet4j.nn;

import io.bitnet4j.quant.AbsmeanQuantizer;
import io.bitnet4j.quant.ActivationQuantizer;
import io.bitnet4j.quant.BitNetConfig;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.QuantizedActivations;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;

/**
 * The BitNet b1.58 linear layer: ternary weights with absmean scales, activations quantized absmax per token
 * (or per tensor), optionally RMS-normalized first. See {@link BitNetConfig} for what each setting does.
 *
 * <p>Two forward paths compute the same function up to float rounding:
 * <ul>
 *   <li>{@link #forwardInteger}: activation codes times trits summed in integers, one sum per weight scale unit,
 *       each unit's sum multiplied by its weight scale once and the token's activation scale once at the end.
 *       This is how a ternary kernel runs.</li>
 *   <li>{@link #forwardReference}: fake-quantized float activations times dequantized float weights. This is the
 *       training graph, whose gradient {@link #backward} gives with the straight-through estimator.</li>
 * </ul>
 * {@link #forward} takes the integer path for an inference config and the reference path for a training config.
 *
 * <p>Built from floats, the layer keeps them as master weights: an optimizer updates {@link #masterWeights()} in
 * place and calls {@link #requantize()}. Built from a {@link TernaryWeight}, it has no master weights.
 *
 * <p>Forward and backward may run concurrently; {@link #requantize()} swaps in the new weights atomically, but
 * changing master weights or the bias while another thread runs the layer is the caller's race.
 */
public final class BitLinear implements Linear {
    private final BitNetConfig config;
    private final ActivationQuantizer activationQuantizer;
    private final AbsmeanQuantizer weightQuantizer; // null without master weights
    private final float[] master; // null when built from a TernaryWeight
    private final float[] bias; // null when there is none
    private volatile QuantizedWeight quantized;

    private BitLinear(BitNetConfig config, AbsmeanQuantizer weightQuantizer, float[] master, TernaryWeight weight,
            float[] bias) {
        this.config = config;
        this.activationQuantizer = config.activationQuantizer();
        this.weightQuantizer = weightQuantizer;
        this.master = master;
        this.bias = DenseOps.checkBias(bias, weight.shape().dim(0));
        this.quantized = new QuantizedWeight(weight);
    }

    /**
     * Quantizes float weights {@code [out, in]} per group of {@code config.groupSize()} inputs.
     *
     * @param bias {@code [out]} or null
     * @throws IllegalArgumentException if {@code in} is not a multiple of the group size (use
     *                                  {@link #fromFloat(float[], Shape, float[], BitNetConfig, Granularity)}), or
     *                                  for bad weights or bias
     */
    public static BitLinear fromFloat(float[] weight, Shape weightShape, float[] bias, BitNetConfig config) {
        FloatLinear.requireMatrix(weight, weightShape);
        Checks.requireNonNull(config, "config");
        int in = weightShape.dim(1);
        if (in % config.groupSize() != 0) {
            throw new IllegalArgumentException("input width " + in + " of weight shape " + weightShape
                    + " is not a multiple of the group size " + config.groupSize()
                    + "; choose a group size that divides it, or pass an explicit Granularity (e.g. per row)");
        }
        return fromFloat(weight, weightShape, bias, config, new Granularity.PerGroup(config.groupSize()));
    }

    /** Quantizes float weights {@code [out, in]} with an explicit granularity instead of the config's group size. */
    public static BitLinear fromFloat(float[] weight, Shape weightShape, float[] bias, BitNetConfig config,
            Granularity granularity) {
        FloatLinear.requireMatrix(weight, weightShape);
        Checks.requireNonNull(config, "config");
        AbsmeanQuantizer quantizer = config.weightQuantizer(granularity);
        float[] master = weight.clone();
        return new BitLinear(config, quantizer, master, quantizer.quantize(master, weightShape), bias);
    }

    /** Quantizes a float layer's weights per group of {@code config.groupSize()} inputs, keeping its bias. */
    public static BitLinear fromFloat(FloatLinear layer, BitNetConfig config) {
        Checks.requireNonNull(layer, "layer");
        return fromFloat(layer.weightArray(), layer.weightShape(), layer.biasArray(), config);
    }

    /** Wraps already-ternary weights of shape {@code [out, in]}; the layer has no master weights. */
    public static BitLinear fromTernary(TernaryWeight weight, float[] bias, BitNetConfig config) {
        Checks.requireNonNull(weight, "ternary weight");
        Checks.requireNonNull(config, "config");
        if (weight.shape().rank() != 2) {
            throw new IllegalArgumentException("ternary weight shape " + weight.shape() + " must be [out, in]");
        }
        return new BitLinear(config, null, null, weight, bias);
    }

    @Override
    public int inFeatures() {
        return quantized.ternary.shape().dim(1);
    }

    @Override
    public int outFeatures() {
        return quantized.ternary.shape().dim(0);
    }

    public BitNetConfig config() {
        return config;
    }

    /** The current ternary weights. */
    public TernaryWeight weight() {
        return quantized.ternary;
    }

    public boolean hasMasterWeights() {
        return master != null;
    }

    /**
     * The float master weights {@code [out, in]}, live (not a copy) so an optimizer can update them in place;
     * call {@link #requantize()} afterwards.
     *
     * @throws IllegalStateException if the layer was built from a TernaryWeight
     */
    public float[] masterWeights() {
        requireMaster();
        return master;
    }

    public boolean hasBias() {
        return bias != null;
    }

    /** The bias {@code [out]}, live (not a copy) so an optimizer can update it in place; null if none. */
    public float[] bias() {
        return bias;
    }

    /**
     * Quantizes the master weights again, after an optimizer changed them.
     *
     * @throws IllegalStateException    if there are no master weights
     * @throws IllegalArgumentException if a master weight became NaN or infinite (naming its index)
     */
    public void requantize() {
        requireMaster();
        quantized = new QuantizedWeight(weightQuantizer.quantize(master, quantized.ternary.shape()));
    }

    /** Integer path for an inference config, reference path for a training config. */
    @Override
    public float[] forward(float[] x, Shape inputShape) {
        return config.useSte() ? forwardReference(x, inputShape) : forwardInteger(x, inputShape);
    }

    /** (RMSNorm →) fake-quantized activations × dequantized ternary weights (+ bias), in float with double sums. */
    public float[] forwardReference(float[] x, Shape inputShape) {
        Shape out = DenseOps.checkInput(this, x, inputShape);
        int rows = out.rows();
        float[] a = activationQuantizer.fakeQuantize(normalized(x, rows), inputShape);
        return DenseOps.linear(a, rows, inFeatures(), quantized.dequantized(), outFeatures(), bias);
    }

    /** (RMSNorm →) activation codes × trits with integer sums per weight scale unit, scales applied once (+ bias). */
    public float[] forwardInteger(float[] x, Shape inputShape) {
        Shape out = DenseOps.checkInput(this, x, inputShape);
        return integerProduct(activationQuantizer.quantize(normalized(x, out.rows()), inputShape));
    }

    /**
     * The integer product of already-quantized activations (no RMSNorm: the caller normalized and quantized them,
     * e.g. once for several layers that share an input). Any bit width and per-token or per-tensor scaling works.
     */
    public float[] forwardQuantized(QuantizedActivations activations) {
        Checks.requireNonNull(activations, "activations");
        outputShape(activations.shape());
        return integerProduct(activations);
    }

    /**
     * Gradients of {@code Σ gradOut ⊙ forwardReference(x)} with the straight-through estimator: both quantizers
     * pass the gradient through unchanged, so {@code dWeight = gradOutᵀ · a} (a the fake-quantized activations)
     * is taken with respect to the master weights, {@code dInput} flows through {@code gradOut · Ŵ} (Ŵ the
     * dequantized weights) and then, if enabled, the exact RMSNorm backward, and {@code dBias = Σ_rows gradOut}.
     *
     * @param gradOut the loss gradient with respect to the output, shape {@code [..., out]}
     * @throws IllegalStateException if the config has {@code useSte = false}: an inference layer has no gradient
     */
    public LinearGradients backward(float[] x, Shape inputShape, float[] gradOut) {
        if (!config.useSte()) {
            throw new IllegalStateException("this BitLinear has an inference config (useSte = false), so it has no"
                    + " gradient: quantization is a step function; build it with BitNetConfig.training() to train");
        }
        Shape out = DenseOps.checkInput(this, x, inputShape);
        Checks.requireNonEmpty(gradOut, "output gradient");
        out.requireLength(gradOut.length, "output gradient");
        Checks.requireFinite(gradOut, "output gradient");
        int rows = out.rows();
        int in = inFeatures();
        int outs = outFeatures();
        float[] a = activationQuantizer.fakeQuantize(normalized(x, rows), inputShape);
        float[] dA = DenseOps.inputGradient(gradOut, rows, outs, quantized.dequantized(), in);
        float[] dInput = config.rmsNormBeforeQuant() ? RmsNorm.backward(x, rows, in, config.eps(), dA) : dA;
        float[] dWeight = DenseOps.weightGradient(gradOut, rows, outs, a, in);
        float[] dBias = bias == null ? null : DenseOps.biasGradient(gradOut, rows, outs);
        return new LinearGradients(dInput, dWeight, dBias);
    }

    @Override
    public long parameterCount() {
        return (long) inFeatures() * outFeatures() + (bias == null ? 0 : bias.length);
    }

    /** The packed ternary weights and their scales, plus a float32 bias; master weights are not counted. */
    @Override
    public long memoryBytes() {
        return quantized.ternary.memoryBytes() + (bias == null ? 0 : 4L * bias.length);
    }

    @Override
    public String toString() {
        return "BitLinear" + quantized.ternary.shape() + " " + quantized.ternary.granularity() + (bias == null ? "" : " + bias")
                + (config.useSte() ? " (training)" : " (inference)");
    }

    private float[] normalized(float[] x, int rows) {
        return config.rmsNormBeforeQuant() ? RmsNorm.forward(x, rows, inFeatures(), config.eps()) : x;
    }

    private void requireMaster() {
        if (master == null) {
            throw new IllegalStateException("this BitLinear was built from a TernaryWeight and has no float master weights");
        }
    }

    private float[] integerProduct(QuantizedActivations activations) {
        QuantizedWeight w = quantized; // one consistent snapshot even if requantize() runs meanwhile
        int in = inFeatures();
        int outs = outFeatures();
        int rows = activations.shape().rows();
        byte[] codes = activations.data();
        float[] y = new float[rows * outs];
        for (int r = 0; r < rows; r++) {
            double activationScale = activations.scaleOfRow(r);
            for (int o = 0; o < outs; o++) {
                int wRow = o * in;
                double sum = 0;
                for (int i = 0; i < in; ) { // one integer sum per weight scale unit within this row
                    int unit = (wRow + i) / w.unitLength;
                    int end = Math.min(in, (unit + 1) * w.unitLength - wRow);
                    sum += Int8.dot(codes, r * in + i, w.trits, wRow + i, end - i) * (double) w.scales[unit];
                    i = end;
                }
                y[r * outs + o] = (float) (sum * activationScale) + (bias == null ? 0f : bias[o]);
            }
        }
        return y;
    }

    /** The ternary weights with their unpacked trits and scales for the kernel, and a lazily dequantized copy. */
    private static final class QuantizedWeight {
        final TernaryWeight ternary;
        final byte[] trits;
        final float[] scales;
        final int unitLength;
        private volatile float[] dequantized;

        QuantizedWeight(TernaryWeight ternary) {
            this.ternary = ternary;
            this.trits = ternary.trits();
            this.scales = ternary.scales();
            this.unitLength = ternary.granularity().unitLength(ternary.shape());
        }

        /** Built on first use: inference layers never need it, and it costs 4 bytes per weight. */
        float[] dequantized() {
            float[] d = dequantized;
            if (d == null) {
                d = ternary.dequantize();
                dequantized = d;
            }
            return d;
        }
    }
}
