package io.bitnet4j.convert;

import java.util.List;
import java.util.Locale;

/**
 * The shape and hyperparameters of a BitNet model that {@link SynthModel} imitates with random weights.
 *
 * @param name            the preset's name on the command line
 * @param ternaryArch     the architecture written for TQ1_0/TQ2_0 files (llama.cpp's names)
 * @param i2sArch         the architecture written for I2_S files (bitnet.cpp's names)
 * @param subNorms        whether blocks have BitNet's extra {@code attn_sub_norm} and {@code ffn_sub_norm}
 * @param tiedEmbedding   whether the LM head is the embedding (no {@code output.weight})
 * @param hiddenAct       the FFN activation, written as {@code bitnet.hidden_activation} for arch {@code bitnet}
 * @param bos             BOS id (EOS is the next id); the last special tokens of the vocabulary start here
 */
public record SynthPreset(String name, String ternaryArch, String i2sArch, int hidden, int ffn, int layers, int heads, int kvHeads,
                          int vocab, int context, float ropeTheta, float rmsEps, boolean subNorms, boolean tiedEmbedding,
                          String hiddenAct, int bos) {

    /** microsoft/bitnet-b1.58-2B-4T: 30 layers, hidden 2560, FFN 6912, 20 heads, 5 KV heads, Llama 3 vocabulary, tied F16 embedding. */
    public static final SynthPreset B2B4T = new SynthPreset("2b4t", Architectures.BITNET, Architectures.BITNET_B158,
            2560, 6912, 30, 20, 5, 128256, 4096, 500000f, 1e-5f, true, true, Architectures.SQUARED_RELU, 128000);
    /** 1bitLLM/bitnet_b1_58-large (about 700M parameters): hidden 1536, 24 layers, FFN 4096, 16 heads, LLaMA vocabulary + 2. */
    public static final SynthPreset B700M = new SynthPreset("700m", Architectures.BITNET, Architectures.BITNET,
            1536, 4096, 24, 16, 16, 32002, 2048, 10000f, 1e-5f, true, true, "silu", 1);
    /** 1bitLLM/bitnet_b1_58-3B: hidden 3200, 26 layers, FFN 8640, 32 heads (of 100), LLaMA vocabulary + 2. */
    public static final SynthPreset B3B = new SynthPreset("3b", Architectures.BITNET, Architectures.BITNET,
            3200, 8640, 26, 32, 32, 32002, 2048, 10000f, 1e-5f, true, true, "silu", 1);
    /** HF1BitLLM/Llama3-8B-1.58-100B-tokens: a Llama 3 8B (4096, 32 layers, FFN 14336, 32/8 heads) with ternary linears. */
    public static final SynthPreset L8B = new SynthPreset("8b", Architectures.LLAMA, Architectures.LLAMA,
            4096, 14336, 32, 32, 8, 128256, 8192, 500000f, 1e-5f, false, false, "silu", 128000);
    /** A model of the 2b4t kind small enough for tests. */
    static final SynthPreset TINY = new SynthPreset("tiny", Architectures.BITNET, Architectures.BITNET_B158,
            256, 512, 2, 4, 2, 1024, 256, 500000f, 1e-5f, true, true, Architectures.SQUARED_RELU, 1016);

    /** The presets offered on the command line. */
    public static final List<SynthPreset> PUBLIC = List.of(B2B4T, B700M, B3B, L8B);

    /** The preset called {@code name} (also the hidden test preset "tiny"). */
    public static SynthPreset named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(TINY.name())) {
            return TINY;
        }
        return PUBLIC.stream().filter(p -> p.name().equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no preset '" + name + "'; presets: " + String.join(", ", PUBLIC.stream().map(SynthPreset::name).toList())));
    }

    public int headDim() {
        return hidden / heads;
    }
}
