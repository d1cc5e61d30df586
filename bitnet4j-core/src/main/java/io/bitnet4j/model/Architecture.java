package io.bitnet4j.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The model architectures the engine runs, by their {@code general.architecture} name, with what tells
 * their blocks apart.
 */
public enum Architecture {
    /** Llama-family: pre-norm attention and SiLU-gated FFN, NORM RoPE (llama.cpp {@code build_llama}). */
    LLAMA("llama", RopeStyle.NORM, false),
    /**
     * llama.cpp's {@code bitnet} ({@code build_bitnet}): the Llama block plus {@code attn_sub_norm} before the output
     * projection and {@code ffn_sub_norm} before the down projection, NEOX RoPE, the LM head tied to
     * {@code token_embd}, optional per-linear {@code .scale} tensors; SiLU unless {@code bitnet.hidden_activation} says otherwise.
     */
    BITNET("bitnet", RopeStyle.NEOX, true),
    /** Microsoft's BitNet b1.58 2B-4T as bitnet.cpp runs it ({@code build_bitnet_158}): the bitnet block with squared ReLU. */
    BITNET_B158("bitnet-b1.58", RopeStyle.NEOX, true);

    private final String ggufName;
    private final RopeStyle ropeStyle;
    private final boolean subNorms;

    Architecture(String ggufName, RopeStyle ropeStyle, boolean subNorms) {
        this.ggufName = ggufName;
        this.ropeStyle = ropeStyle;
        this.subNorms = subNorms;
    }

    /** The {@code general.architecture} value, also the prefix of the hyperparameter keys. */
    public String ggufName() {
        return ggufName;
    }

    /** llama.cpp's rope type for the architecture ({@code llama_model_rope_type}). */
    public RopeStyle ropeStyle() {
        return ropeStyle;
    }

    /** Whether blocks have {@code attn_sub_norm} and {@code ffn_sub_norm}. */
    public boolean hasSubNorms() {
        return subNorms;
    }

    /** The architecture named {@code name}, if supported. */
    public static Optional<Architecture> find(String name) {
        return Arrays.stream(values()).filter(a -> a.ggufName.equals(name)).findFirst();
    }

    /** The architecture named {@code name}; throws naming it and listing the supported ones. */
    public static Architecture of(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown model architecture '" + name
                + "'; supported: " + Arrays.stream(values()).map(Architecture::ggufName).toList()));
    }
}
