package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgufValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyperparameters a Llama-like GGUF architecture ({@code llama}, {@code bitnet}, {@code bitnet-b1.58}) stores under
 * its prefix, as Microsoft's {@code ggml-model-i2_s.gguf} orders them.
 *
 * @param activation the FFN activation; written as {@code bitnet.hidden_activation} for arch {@code bitnet} only
 */
public record ModelHparams(String arch, int vocab, int context, int hidden, int layers, int ffn, int heads, int kvHeads, float rmsEps,
                    float ropeTheta, int headDim, String activation) {

    /** {@code general.architecture}, {@code general.name} and the prefixed keys, in order. */
    public Map<String, GgufValue> metadata(String name) {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("general.architecture", GgufValue.string(arch));
        md.put("general.name", GgufValue.string(name));
        md.put(arch + ".vocab_size", GgufValue.u32(vocab));
        md.put(arch + ".context_length", GgufValue.u32(context));
        md.put(arch + ".embedding_length", GgufValue.u32(hidden));
        md.put(arch + ".block_count", GgufValue.u32(layers));
        md.put(arch + ".feed_forward_length", GgufValue.u32(ffn));
        md.put(arch + ".attention.head_count", GgufValue.u32(heads));
        md.put(arch + ".attention.head_count_kv", GgufValue.u32(kvHeads));
        md.put(arch + ".attention.layer_norm_rms_epsilon", GgufValue.f32(rmsEps));
        md.put(arch + ".rope.freq_base", GgufValue.f32(ropeTheta));
        md.put(arch + ".rope.dimension_count", GgufValue.u32(headDim));
        if (arch.equals(Architectures.BITNET)) {
            md.put(Architectures.BITNET_ACTIVATION_KEY, GgufValue.string(activation));
        }
        return md;
    }
}
