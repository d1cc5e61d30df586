package io.bitnet4j.nn;

/**
 * The gradients of a linear layer's loss with respect to its input and parameters, as
 * {@link BitLinear#backward} returns them. Arrays are row-major and owned by the receiver.
 *
 * @param dInput  same shape as the input, {@code [..., in]}
 * @param dWeight {@code [out, in]}; for a BitLinear, with respect to the float master weights (straight-through)
 * @param dBias   {@code [out]}, or null if the layer has no bias
 */
public record LinearGradients(float[] dInput, float[] dWeight, float[] dBias) {}
