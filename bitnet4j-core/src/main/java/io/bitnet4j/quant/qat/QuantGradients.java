package io.bitnet4j.quant.qat;

/**
 * The gradients of a fake quantizer's backward pass.
 *
 * @param input {@code dL/dx}, one per input element
 * @param step {@code dL/ds} per channel for a learnable step (LSQ), already multiplied by LSQ's gradient
 *     scale; empty when the parameters are not learned
 */
public record QuantGradients(float[] input, float[] step) {
    public QuantGradients {
        if (input == null || step == null) {
            throw new IllegalArgumentException("gradient arrays must not be null");
        }
    }
}
