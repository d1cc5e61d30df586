package io.bitnet4j.convert;

import java.util.regex.Pattern;

/**
 * What a GGUF tensor is for, read from its name (llama.cpp's naming: {@code token_embd.weight}, {@code output.weight},
 * {@code blk.N.attn_q.weight}, ...). The conversions choose types by role: linear weights take the target type,
 * norms stay F32, the embedding and the output head keep a higher precision.
 */
public enum TensorRole {
    /** {@code token_embd.weight}. */
    TOKEN_EMBEDDING,
    /** {@code output.weight}, the LM head (absent when tied to the embedding). */
    OUTPUT,
    /** Any norm or other one-dimensional tensor. */
    NORM,
    /** The linear weights of attention and FFN blocks, dense ({@code attn_q} …) or per expert ({@code ffn_up_exps} …). */
    LINEAR,
    /** A mixture-of-experts router ({@code ffn_gate_inp}). */
    ROUTER,
    /** Anything else. */
    OTHER;

    private static final Pattern LINEAR_NAME = Pattern.compile(
            "blk\\.\\d+\\.(attn_q|attn_k|attn_v|attn_qkv|attn_output|ffn_gate|ffn_up|ffn_down)(_exps|_shexp)?\\.weight");
    private static final Pattern EXPERT_NAME = Pattern.compile("blk\\.\\d+\\.ffn_(gate|up|down)_exps\\.weight");

    /** The role of tensor {@code name} with ggml dims {@code dims}. */
    public static TensorRole of(String name, long[] dims) {
        if (name.equals("token_embd.weight")) {
            return TOKEN_EMBEDDING;
        }
        if (name.equals("output.weight")) {
            return OUTPUT;
        }
        if (dims.length == 1 || name.endsWith("_norm.weight") || name.endsWith("_norm.bias")) {
            return NORM;
        }
        if (name.matches("blk\\.\\d+\\.ffn_gate_inp(_shexp)?\\.weight")) {
            return ROUTER;
        }
        return LINEAR_NAME.matcher(name).matches() ? LINEAR : OTHER;
    }

    /** Whether {@code name} is a mixture-of-experts expert weight ({@code blk.N.ffn_{gate,up,down}_exps.weight}). */
    public static boolean isExpert(String name) {
        return EXPERT_NAME.matcher(name).matches();
    }
}
