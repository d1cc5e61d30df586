package io.bitnet4j.convert;

import io.bitnet4j.format.BF16;
import io.bitnet4j.format.HfPackedTernary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Small Hugging Face checkpoints written by the tests: safetensors files in the layout the format documents
 * (8-byte header length, JSON header padded with spaces, data), config.json and a byte-level BPE tokenizer.json.
 * Shape: hidden 256, FFN 512, 4 heads of 64, 2 KV heads, vocab 8, one or two layers.
 */
final class HfFixture {
    static final int HIDDEN = 256;
    static final int FFN = 512;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int HEAD_DIM = 64;
    static final int VOCAB = 8;

    /** One tensor to write: safetensors dtype, torch shape, raw bytes. */
    record Tensor(String dtype, long[] shape, byte[] data) {}

    /** The projections of a block: HF suffix and torch shape [out, in]. */
    static final String[] LINEAR = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
        "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};

    private HfFixture() {}

    static int[] outIn(String linear) {
        return switch (linear) {
            case "self_attn.q_proj", "self_attn.o_proj" -> new int[] {HIDDEN, HIDDEN};
            case "self_attn.k_proj", "self_attn.v_proj" -> new int[] {KV_HEADS * HEAD_DIM, HIDDEN};
            case "mlp.gate_proj", "mlp.up_proj" -> new int[] {FFN, HIDDEN};
            default -> new int[] {HIDDEN, FFN};
        };
    }

    static Tensor f32(float[] v, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return new Tensor("F32", shape, b.array());
    }

    static Tensor bf16(float[] v, long... shape) {
        return new Tensor("BF16", shape, BF16.encode(v));
    }

    static float[] gaussian(SplittableRandom rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    static byte[] trits(SplittableRandom rnd, int n) {
        byte[] t = new byte[n];
        for (int i = 0; i < n; i++) {
            t[i] = (byte) (rnd.nextInt(3) - 1);
        }
        return t;
    }

    /** Writes a safetensors file with the tensors in order. */
    static void writeSafetensors(Path file, Map<String, Tensor> tensors) throws IOException {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            json.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(t.dtype()).append("\",\"shape\":")
                    .append(Arrays.stream(t.shape()).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]")))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + t.data().length).append("]}");
            offset += t.data().length;
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (Tensor t : tensors.values()) {
            b.put(t.data());
        }
        Files.write(file, b.array());
    }

    static void writeConfig(Path dir, String architecture, int layers, String quantizationConfig) throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["%s"], "hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
                 "num_attention_heads": %d, "num_key_value_heads": %d, "max_position_embeddings": 128, "rms_norm_eps": 1e-05,
                 "rope_theta": 500000.0, "vocab_size": %d, "hidden_act": "relu2", "bos_token_id": 3, "eos_token_id": [4, 5],
                 "tie_word_embeddings": true %s}
                """.formatted(architecture, HIDDEN, FFN, layers, HEADS, KV_HEADS, VOCAB,
                quantizationConfig == null ? "" : ", \"quantization_config\": " + quantizationConfig));
    }

    /** A byte-level BPE tokenizer.json: tokens a, b, ab (merge "a b"), two added special tokens, ids 5..7 left for padding. */
    static void writeTokenizer(Path dir, boolean llama3Pattern) throws IOException {
        String pre = llama3Pattern
                ? "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\""
                        + HfTokenizer.LLAMA3_PATTERN.replace("\\", "\\\\") + "\"},\"behavior\":\"Isolated\",\"invert\":false},"
                        + "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}"
                : "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}";
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "added_tokens": [{"id": 3, "content": "<|begin|>", "special": true},
                                                    {"id": 4, "content": "<|end|>", "special": true}],
                 "pre_tokenizer": %s,
                 "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]}}
                """.formatted(pre));
    }

    /** A one-shard BitNet checkpoint with packed linear weights; returns the trits of each linear, by HF name. */
    static Map<String, byte[]> writePackedBitNet(Path dir, String linearClass, long seed, Map<String, Float> scalesOut) throws IOException {
        writeConfig(dir, "BitNetForCausalLM", 1,
                "{\"quant_method\": \"bitnet\", \"linear_class\": \"" + linearClass + "\", \"quantization_mode\": \"offline\"}");
        writeTokenizer(dir, true);
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, byte[]> trits = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", bf16(gaussian(rnd, VOCAB * HIDDEN, 0.02), VOCAB, HIDDEN));
        String p = "model.layers.0.";
        tensors.put(p + "input_layernorm.weight", f32(gaussian(rnd, HIDDEN, 1), HIDDEN));
        tensors.put(p + "post_attention_layernorm.weight", f32(gaussian(rnd, HIDDEN, 1), HIDDEN));
        tensors.put(p + "self_attn.attn_sub_norm.weight", f32(gaussian(rnd, HIDDEN, 1), HIDDEN));
        tensors.put(p + "mlp.ffn_sub_norm.weight", f32(gaussian(rnd, FFN, 1), FFN));
        for (String linear : LINEAR) {
            int[] oi = outIn(linear);
            byte[] t = trits(rnd, oi[0] * oi[1]);
            trits.put(p + linear + ".weight", t);
            float scale = BF16.toFloat(BF16.fromFloat((float) (0.5 + rnd.nextDouble()))); // stored as bf16, as 2B-4T does
            scalesOut.put(p + linear + ".weight", scale);
            tensors.put(p + linear + ".weight", new Tensor("U8", new long[] {oi[0] / 4, oi[1]}, HfPackedTernary.pack(t, oi[0], oi[1])));
            tensors.put(p + linear + ".weight_scale", bf16(new float[] {scale}, 1));
        }
        tensors.put("model.norm.weight", f32(gaussian(rnd, HIDDEN, 1), HIDDEN));
        writeSafetensors(dir.resolve("model.safetensors"), tensors);
        return trits;
    }

    /** GGUF name of an HF block tensor name. */
    static String ggufName(String hf) {
        List<String[]> map = new ArrayList<>(List.of(new String[][] {
            {"self_attn.q_proj", "attn_q"}, {"self_attn.k_proj", "attn_k"}, {"self_attn.v_proj", "attn_v"}, {"self_attn.o_proj", "attn_output"},
            {"mlp.gate_proj", "ffn_gate"}, {"mlp.up_proj", "ffn_up"}, {"mlp.down_proj", "ffn_down"}}));
        for (String[] m : map) {
            if (hf.contains(m[0])) {
                return hf.replace("model.layers.", "blk.").replace(m[0], m[1]);
            }
        }
        throw new IllegalArgumentException(hf);
    }
}
