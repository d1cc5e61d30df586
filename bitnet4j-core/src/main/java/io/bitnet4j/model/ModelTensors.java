package io.bitnet4j.model;

/** The GGUF tensor names llama.cpp gives the parts of these models ({@code LLM_TENSOR_NAMES}). */
final class ModelTensors {
    static final String TOKEN_EMBD = "token_embd.weight";
    static final String OUTPUT_NORM = "output_norm.weight";
    static final String OUTPUT = "output.weight";
    static final String ROPE_FREQS = "rope_freqs.weight";

    private ModelTensors() {}

    /** {@code blk.<layer>.<part>}, e.g. {@code blk(3, "attn_q")} + {@code ".weight"}. */
    static String blk(int layer, String part) {
        return "blk." + layer + "." + part;
    }
}
