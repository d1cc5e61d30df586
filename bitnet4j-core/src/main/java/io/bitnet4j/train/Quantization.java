package io.bitnet4j.train;

/**
 * Whether a forward pass quantizes its BitLinear layers, and how far: {@code lambda} blends the float tensor with its
 * quantized form ({@code (1−λ)·x + λ·q(x)}, the λ-warm-up of {@link io.bitnet4j.quant.ste.LambdaBlend}); λ = 1 is
 * plain BitNet b1.58.
 */
public record Quantization(boolean enabled, double lambda) {
    /** Full precision: the float baseline's training and evaluation. */
    public static final Quantization OFF = new Quantization(false, 0);
    /** Ternary weights and int8 activations throughout. */
    public static final Quantization FULL = new Quantization(true, 1);

    public Quantization {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda " + lambda + " must be in [0, 1]");
        }
    }
}
