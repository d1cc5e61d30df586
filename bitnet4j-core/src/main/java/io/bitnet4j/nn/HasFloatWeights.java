package io.bitnet4j.nn;

/**
 * A linear layer that computes with plain float weights, which can therefore be quantized from them
 * (by {@link DynamicQuantizer}). Layers whose weights are already quantized must not implement it.
 */
public interface HasFloatWeights extends Linear {

    /** The weights {@code [outFeatures, inFeatures]} row-major; callers treat the array as read-only. */
    float[] weights();

    /** The bias {@code [outFeatures]}, or null when the layer has none; callers treat the array as read-only. */
    float[] bias();
}
