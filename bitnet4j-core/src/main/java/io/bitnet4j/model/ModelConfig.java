package io.bitnet4j.model;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.I2sLayoutMark;
import java.util.Arrays;

/**
 * The hyperparameters of a model, read from GGUF metadata the way llama.cpp reads them.
 *
 * @param architecture       the block structure
 * @param embeddingLength    {@code <arch>.embedding_length}, the width of the residual stream
 * @param blockCount         {@code <arch>.block_count}, transformer layers
 * @param feedForwardLength  {@code <arch>.feed_forward_length}
 * @param headCount          {@code <arch>.attention.head_count}
 * @param headCountKv        {@code <arch>.attention.head_count_kv} (GQA; defaults to {@code headCount})
 * @param headDim            {@code <arch>.attention.key_length}, else {@code embeddingLength / headCount}
 * @param ropeDimensionCount {@code <arch>.rope.dimension_count} (defaults to {@code headDim}): leading dimensions
 *                           of each head that RoPE rotates
 * @param ropeFreqBase       {@code <arch>.rope.freq_base}, default 10000
 * @param rmsEpsilon         {@code <arch>.attention.layer_norm_rms_epsilon}
 * @param contextLength      {@code <arch>.context_length}, the trained context
 * @param vocabSize          rows of {@code token_embd.weight}
 * @param ffnActivation      SiLU for llama; {@code bitnet.hidden_activation} (default SiLU) for bitnet;
 *                           squared ReLU for bitnet-b1.58
 */
public record ModelConfig(Architecture architecture, int embeddingLength, int blockCount, int feedForwardLength,
        int headCount, int headCountKv, int headDim, int ropeDimensionCount, float ropeFreqBase, float rmsEpsilon,
        int contextLength, int vocabSize, FfnActivation ffnActivation) {

    /** The default of {@code <arch>.rope.freq_base}. */
    public static final float DEFAULT_ROPE_FREQ_BASE = 10000f;

    public ModelConfig {
        positive("embedding_length", embeddingLength);
        positive("block_count", blockCount);
        positive("feed_forward_length", feedForwardLength);
        positive("attention.head_count", headCount);
        positive("attention.head_count_kv", headCountKv);
        positive("head dimension", headDim);
        positive("context_length", contextLength);
        positive("vocabulary size", vocabSize);
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException("attention.head_count " + headCount + " is not a multiple of head_count_kv " + headCountKv);
        }
        if (ropeDimensionCount <= 0 || ropeDimensionCount % 2 != 0 || ropeDimensionCount > headDim) {
            throw new IllegalArgumentException("rope.dimension_count " + ropeDimensionCount
                    + " must be even, positive and at most the head dimension " + headDim);
        }
        if (!(ropeFreqBase > 0) || Float.isInfinite(ropeFreqBase)) {
            throw new IllegalArgumentException("rope.freq_base " + ropeFreqBase + " must be positive and finite");
        }
        if (!(rmsEpsilon > 0) || Float.isInfinite(rmsEpsilon)) {
            throw new IllegalArgumentException("attention.layer_norm_rms_epsilon " + rmsEpsilon + " must be positive and finite");
        }
        if (architecture == null || ffnActivation == null) {
            throw new IllegalArgumentException("architecture and FFN activation are required");
        }
        if ((long) headCount * headDim > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("head_count " + headCount + " × head dimension " + headDim + " is too large");
        }
    }

    /** Width of the query projection, {@code headCount · headDim}. */
    public int queryLength() {
        return headCount * headDim;
    }

    /** Width of the key and value projections, {@code headCountKv · headDim}. */
    public int keyValueLength() {
        return headCountKv * headDim;
    }

    /** The RoPE pairing of the architecture. */
    public RopeStyle ropeStyle() {
        return architecture.ropeStyle();
    }

    /**
     * Reads the configuration of {@code file}. Throws {@link IllegalArgumentException} naming the key or
     * tensor that is missing or wrong, or the architecture if it is not supported.
     */
    public static ModelConfig fromGguf(GgufFile file) {
        GgufMetadata m = file.metadata();
        I2sLayoutMark.requireX86(String.valueOf(file.path()), file);
        String archName = m.getString("general.architecture");
        Architecture arch = Architecture.of(archName);
        String p = archName + ".";
        int dim = m.getInt(p + "embedding_length");
        int heads = m.getInt(p + "attention.head_count");
        int headDim = headDim(m, p, dim, heads);
        String scaling = m.getString(p + "rope.scaling.type", "none");
        if (!scaling.equals("none")) {
            throw new IllegalArgumentException("GGUF key '" + p + "rope.scaling.type' = '" + scaling + "': RoPE scaling is not supported yet");
        }
        GgufTensor embd = file.findTensor(ModelTensors.TOKEN_EMBD).orElseThrow(
                () -> new IllegalArgumentException("model file " + file.path().getFileName() + " has no tensor '"
                        + ModelTensors.TOKEN_EMBD + "' (token embeddings)"));
        if (embd.rank() < 2 || embd.dim(1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor '" + ModelTensors.TOKEN_EMBD + "' has dims "
                    + Arrays.toString(embd.dims()) + "; expected [embedding_length, vocabulary size]");
        }
        int vocab = (int) embd.dim(1);
        if (m.contains(p + "vocab_size") && m.getLong(p + "vocab_size") != vocab) {
            throw new IllegalArgumentException("GGUF key '" + p + "vocab_size' = " + m.getLong(p + "vocab_size")
                    + " but '" + ModelTensors.TOKEN_EMBD + "' has " + vocab + " rows");
        }
        return new ModelConfig(arch, dim, m.getInt(p + "block_count"), m.getInt(p + "feed_forward_length"), heads,
                m.getInt(p + "attention.head_count_kv", heads), headDim, m.getInt(p + "rope.dimension_count", headDim),
                m.getFloat(p + "rope.freq_base", DEFAULT_ROPE_FREQ_BASE), m.getFloat(p + "attention.layer_norm_rms_epsilon"),
                m.getInt(p + "context_length"), vocab, activation(arch, m, p));
    }

    private static int headDim(GgufMetadata m, String p, int dim, int heads) {
        positive(p + "attention.head_count", heads);
        String key = p + "attention.key_length";
        if (m.contains(key)) {
            int k = m.getInt(key);
            int v = m.getInt(p + "attention.value_length", k);
            if (v != k) {
                throw new IllegalArgumentException("GGUF key '" + p + "attention.value_length' = " + v + " differs from key_length "
                        + k + "; heads with different K and V widths are not supported");
            }
            return k;
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException("embedding_length " + dim + " is not a multiple of attention.head_count " + heads
                    + " and no '" + key + "' gives the head dimension");
        }
        return dim / heads;
    }

    private static FfnActivation activation(Architecture arch, GgufMetadata m, String p) {
        return switch (arch) {
            case LLAMA -> FfnActivation.SILU;
            case BITNET_B158 -> FfnActivation.RELU_SQR;
            case BITNET -> m.contains(p + "hidden_activation")
                    ? FfnActivation.parse(m.getString(p + "hidden_activation"), p + "hidden_activation")
                    : FfnActivation.SILU;
        };
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " is " + value + "; it must be positive");
        }
    }
}
