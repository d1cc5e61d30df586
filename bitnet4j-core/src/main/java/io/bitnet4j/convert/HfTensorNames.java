package io.bitnet4j.convert;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face tensor names of Llama-family and BitNet checkpoints mapped to llama.cpp's GGUF names, with the torch
 * shape ({@code [out, in]}) each must have and the position it takes in the output file (embedding, then each block
 * in bitnet.cpp's order, then the final norm and the head).
 */
final class HfTensorNames {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)\\.weight");

    /** Block tensors in output order: HF suffix (alternatives separated by |) → GGUF name. */
    private static final String[][] BLOCK = {
        {"input_layernorm", "attn_norm"},
        {"self_attn.q_proj", "attn_q"},
        {"self_attn.k_proj", "attn_k"},
        {"self_attn.v_proj", "attn_v"},
        {"self_attn.attn_sub_norm|self_attn.inner_attn_ln", "attn_sub_norm"},
        {"self_attn.o_proj", "attn_output"},
        {"post_attention_layernorm", "ffn_norm"},
        {"mlp.gate_proj", "ffn_gate"},
        {"mlp.up_proj", "ffn_up"},
        {"mlp.ffn_sub_norm|mlp.ffn_layernorm", "ffn_sub_norm"},
        {"mlp.down_proj", "ffn_down"},
    };

    /**
     * A mapped tensor.
     *
     * @param gguf       the GGUF name
     * @param torchShape the shape the tensor must have, outermost first
     * @param order      its position in the output
     * @param linear     whether it is a linear weight (ternary in a BitNet model)
     * @param ropeHeads  for Q and K, the head count whose rows rotate together (0 otherwise)
     */
    record Mapped(String gguf, long[] torchShape, long order, boolean linear, int ropeHeads) {}

    private HfTensorNames() {}

    /** The mapping of {@code name} (a {@code .weight}), or empty if it is not a tensor of these models. */
    static Optional<Mapped> map(String name, HfConfig c) {
        long qDim = (long) c.heads() * c.headDim();
        long kvDim = (long) c.kvHeads() * c.headDim();
        switch (name) {
            case "model.embed_tokens.weight" -> {
                return Optional.of(new Mapped("token_embd.weight", new long[] {c.vocabSize(), c.hidden()}, 0, false, 0));
            }
            case "model.norm.weight" -> {
                return Optional.of(new Mapped("output_norm.weight", new long[] {c.hidden()}, Long.MAX_VALUE - 1, false, 0));
            }
            case "lm_head.weight" -> {
                return Optional.of(new Mapped("output.weight", new long[] {c.vocabSize(), c.hidden()}, Long.MAX_VALUE, false, 0));
            }
            default -> { }
        }
        Matcher m = LAYER.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        long layer = Long.parseLong(m.group(1));
        if (layer >= c.layers()) {
            return Optional.empty();
        }
        for (int i = 0; i < BLOCK.length; i++) {
            for (String suffix : BLOCK[i][0].split("\\|")) {
                if (suffix.equals(m.group(2))) {
                    String gguf = BLOCK[i][1];
                    long[] shape = switch (gguf) {
                        case "attn_norm", "attn_sub_norm", "ffn_norm" -> new long[] {c.hidden()};
                        case "ffn_sub_norm" -> new long[] {c.intermediate()};
                        case "attn_q" -> new long[] {qDim, c.hidden()};
                        case "attn_k", "attn_v" -> new long[] {kvDim, c.hidden()};
                        case "attn_output" -> new long[] {c.hidden(), qDim};
                        case "ffn_gate", "ffn_up" -> new long[] {c.intermediate(), c.hidden()};
                        default -> new long[] {c.hidden(), c.intermediate()}; // ffn_down
                    };
                    int ropeHeads = gguf.equals("attn_q") ? c.heads() : gguf.equals("attn_k") ? c.kvHeads() : 0;
                    return Optional.of(new Mapped("blk." + layer + "." + gguf + ".weight", shape, 1 + layer * BLOCK.length + i,
                            shape.length == 2, ropeHeads));
                }
            }
        }
        return Optional.empty();
    }
}
