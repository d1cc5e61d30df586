package io.bitnet4j.train;

/** The FFN activation {@code act(gate) · up}, with its derivative for the backward pass. */
public enum GateActivation {
    /** {@code x·σ(x)}: what llama.cpp's {@code bitnet} architecture computes. */
    SILU("silu"),
    /** {@code relu(x)²}: BitNet b1.58 2B-4T. */
    RELU_SQUARED("relu2");

    private final String ggufName;

    GateActivation(String ggufName) {
        this.ggufName = ggufName;
    }

    /** The value of {@code bitnet.hidden_activation}. */
    public String ggufName() {
        return ggufName;
    }

    /** {@code act(x)}. */
    float apply(float x) {
        return switch (this) {
            case SILU -> x / (1f + (float) Math.exp(-x));
            case RELU_SQUARED -> x > 0f ? x * x : 0f;
        };
    }

    /** {@code act'(x)}. */
    float derivative(float x) {
        return switch (this) {
            case SILU -> {
                float s = 1f / (1f + (float) Math.exp(-x));
                yield s * (1f + x * (1f - s));
            }
            case RELU_SQUARED -> x > 0f ? 2f * x : 0f;
        };
    }

    /** The activation called {@code name} ({@code silu}, {@code relu2}); throws listing them. */
    public static GateActivation parse(String name) {
        for (GateActivation a : values()) {
            if (a.ggufName.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown FFN activation '" + name + "'; known: silu, relu2");
    }
}
