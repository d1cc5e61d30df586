package io.bitnet4j.nn;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;

/**
 * A plain float32 linear layer {@code y = x · Wᵀ + b}: the layer type a model holds before
 * {@link LayerSwap} turns it into a {@link BitLinear}, which needs its float weights. Immutable.
 */
public final class FloatLinear implements Linear {
    private final Shape weightShape;
    private final float[] weight;
    private final float[] bias;

    /**
     * @param weight      {@code [out, in]} row-major, finite (copied)
     * @param weightShape {@code [out, in]}
     * @param bias        {@code [out]}, finite, or null for none (copied)
     */
    public FloatLinear(float[] weight, Shape weightShape, float[] bias) {
        this.weightShape = requireMatrix(weight, weightShape);
        this.weight = weight.clone();
        this.bias = DenseOps.checkBias(bias, weightShape.dim(0));
    }

    /**
     * Checks that {@code weight} is a non-empty finite matrix of rank-2 shape {@code [out, in]}; returns the shape.
     * Shared with {@link BitLinear} so both layers reject the same bad weights with the same messages.
     */
    static Shape requireMatrix(float[] weight, Shape weightShape) {
        Checks.requireNonEmpty(weight, "weights");
        Checks.requireNonNull(weightShape, "weight shape");
        if (weightShape.rank() != 2) {
            throw new IllegalArgumentException("weight shape " + weightShape + " must be [out, in]");
        }
        weightShape.requireLength(weight.length, "weights");
        Checks.requireFinite(weight, "weights");
        return weightShape;
    }

    @Override
    public int inFeatures() {
        return weightShape.dim(1);
    }

    @Override
    public int outFeatures() {
        return weightShape.dim(0);
    }

    public Shape weightShape() {
        return weightShape;
    }

    /** The weights {@code [out, in]} (a copy). */
    public float[] weight() {
        return weight.clone();
    }

    /** The bias (a copy), or null if the layer has none. */
    public float[] bias() {
        return bias == null ? null : bias.clone();
    }

    /** The weights without a copy, for {@link BitLinear#fromFloat(FloatLinear, io.bitnet4j.quant.BitNetConfig)}. */
    float[] weightArray() {
        return weight;
    }

    float[] biasArray() {
        return bias;
    }

    @Override
    public float[] forward(float[] x, Shape inputShape) {
        Shape out = DenseOps.checkInput(this, x, inputShape);
        return DenseOps.linear(x, out.rows(), inFeatures(), weight, outFeatures(), bias);
    }

    @Override
    public long parameterCount() {
        return (long) weight.length + (bias == null ? 0 : bias.length);
    }

    @Override
    public String toString() {
        return "FloatLinear" + weightShape + (bias == null ? "" : " + bias");
    }
}
