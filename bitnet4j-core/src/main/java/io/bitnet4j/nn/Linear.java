package io.bitnet4j.nn;

import io.bitnet4j.tensor.Shape;

/**
 * A linear layer {@code y = x · Wᵀ (+ b)} over the last axis: input {@code [..., in]}, output
 * {@code [..., out]}. Float, int8 and ternary (BitLinear) layers all implement it, so a model's
 * layers can be swapped one for another.
 */
public interface Linear {

    int inFeatures();

    int outFeatures();

    /** Applies the layer to {@code x} of shape {@code inputShape} (last dimension {@link #inFeatures()}); returns {@code [..., out]} row-major. */
    float[] forward(float[] x, Shape inputShape);

    /** Number of parameters (weights and bias), as a float model would count them. */
    long parameterCount();

    /**
     * Bytes the parameters occupy in memory. The default assumes float32 (4 bytes per parameter);
     * quantized layers override it, so a model can report its size before and after quantization.
     */
    default long memoryBytes() {
        return 4L * parameterCount();
    }

    /** The output shape for an input shape; throws if the last dimension is not {@link #inFeatures()}. */
    default Shape outputShape(Shape inputShape) {
        if (inputShape.lastDim() != inFeatures()) {
            throw new IllegalArgumentException(
                    "input shape " + inputShape + " has last dimension " + inputShape.lastDim() + " but the layer takes " + inFeatures());
        }
        int[] dims = inputShape.dims();
        dims[dims.length - 1] = outFeatures();
        return Shape.of(dims);
    }
}
