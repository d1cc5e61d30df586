package io.bitnet4j.quant.ste;

/** Which surrogate gradient a straight-through estimator passes back through the quantizer. */
public enum SteMode {
    /** {@code dL/dx = dL/dq} everywhere: the BitNet reference, {@code x + (q(x) - x).detach()}. */
    IDENTITY,
    /**
     * {@code dL/dx = dL/dq} where {@code x} is inside the representable {@link ClipRange} (bounds
     * included), 0 outside: values the quantizer saturates get no gradient, as PyTorch's FakeQuantize.
     */
    CLIPPED
}
