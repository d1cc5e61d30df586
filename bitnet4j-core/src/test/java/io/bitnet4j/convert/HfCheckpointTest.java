package io.bitnet4j.convert;

import static io.bitnet4j.convert.HfFixture.HIDDEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hugging Face checkpoints written by the tests, converted to GGUF. */
class HfCheckpointTest {
    @TempDir
    Path dir;

    private Path convert(Path input, GgmlType type, Optional<String> arch, List<String> warnings) throws IOException {
        Path out = dir.resolve("out-" + type + ".gguf");
        try (ModelSource src = HfCheckpoint.open(input, arch, warnings::add)) {
            Conversion.convert(src, out, ConvertOptions.to(type), Optional.empty(), new ModelConverter.Listener() {}, warnings::add);
        }
        return out;
    }

    @Test
    void packedBitNetWeightsGetTheScaleConventionConfigJsonImplies() throws IOException {
        for (String linearClass : new String[] {"autobitlinear", "bitlinear"}) {
            Path ckpt = Files.createDirectories(dir.resolve(linearClass));
            Map<String, Float> scales = new LinkedHashMap<>();
            Map<String, byte[]> trits = HfFixture.writePackedBitNet(ckpt, linearClass, 1, scales);
            Path out = convert(ckpt, GgmlType.F32, Optional.empty(), new ArrayList<>());
            try (GgufFile f = GgufFile.open(out)) {
                for (Map.Entry<String, byte[]> e : trits.entrySet()) {
                    float stored = scales.get(e.getKey());
                    // AutoBitLinear (offline) multiplies its output by weight_scale; the older BitLinear divides by it
                    float multiplier = linearClass.equals("autobitlinear") ? stored : 1f / stored;
                    float[] w = ConversionTest.values(f.tensor(HfFixture.ggufName(e.getKey())));
                    byte[] t = e.getValue();
                    for (int i = 0; i < t.length; i++) {
                        assertEquals(t[i] * multiplier, w[i], 0f, linearClass + " " + e.getKey() + " element " + i);
                    }
                }
                assertEquals("bitnet-b1.58", f.metadata().getString("general.architecture"));
                assertEquals(500000f, f.metadata().getFloat("bitnet-b1.58.rope.freq_base"));
                assertEquals(64, f.metadata().getLong("bitnet-b1.58.rope.dimension_count"));
                assertEquals(2, f.metadata().getLong("bitnet-b1.58.attention.head_count_kv"));
            }
        }
    }

    @Test
    void packedWeightsConvertToTernaryTypesTritForTrit() throws IOException {
        Map<String, Float> scales = new LinkedHashMap<>();
        Map<String, byte[]> trits = HfFixture.writePackedBitNet(dir, "autobitlinear", 2, scales);
        for (GgmlType type : new GgmlType[] {GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S}) {
            List<String> warnings = new ArrayList<>();
            Path out = convert(dir, type, Optional.empty(), warnings);
            try (GgufFile f = GgufFile.open(out)) {
                for (Map.Entry<String, byte[]> e : trits.entrySet()) {
                    GgufTensor t = f.tensor(HfFixture.ggufName(e.getKey()));
                    assertEquals(type, t.type());
                    assertArrayEquals(e.getValue(), ConversionTest.trits(t), type + " " + e.getKey());
                }
                assertEquals(GgmlType.F16, f.tensor("token_embd.weight").type());
                assertEquals(GgmlType.F32, f.tensor("blk.0.ffn_sub_norm.weight").type());
                assertEquals(FileType.of(type), f.metadata().getLong("general.file_type"));
            }
        }
    }

    @Test
    void tokenizerJsonBecomesAGpt2Vocabulary() throws IOException {
        HfFixture.writePackedBitNet(dir, "autobitlinear", 3, new LinkedHashMap<>());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": true, \"chat_template\": \"{{ x }}\"}");
        List<String> warnings = new ArrayList<>();
        Path out = convert(dir, GgmlType.TQ2_0, Optional.of("bitnet"), warnings);
        try (GgufFile f = GgufFile.open(out)) {
            var md = f.metadata();
            assertEquals("bitnet", md.getString("general.architecture"));
            assertEquals("relu2", md.getString("bitnet.hidden_activation"));
            assertEquals("gpt2", md.getString("tokenizer.ggml.model"));
            assertEquals("llama-bpe", md.getString("tokenizer.ggml.pre"));
            GgufArray tokens = (GgufArray) md.get("tokenizer.ggml.tokens");
            assertEquals(List.of("a", "b", "ab", "<|begin|>", "<|end|>", "[PAD5]", "[PAD6]", "[PAD7]"), tokens.strings());
            assertArrayEquals(new int[] {1, 1, 1, 3, 3, 5, 5, 5}, ((GgufArray) md.get("tokenizer.ggml.token_type")).toIntArray());
            assertEquals(List.of("a b"), ((GgufArray) md.get("tokenizer.ggml.merges")).strings());
            assertEquals(3, md.getLong("tokenizer.ggml.bos_token_id"));
            assertEquals(4, md.getLong("tokenizer.ggml.eos_token_id"));
            assertEquals("{{ x }}", md.getString("tokenizer.chat_template"));
        }
        assertTrue(warnings.contains(Architectures.SILU_WARNING), warnings.toString());
    }

    @Test
    void shardedFloatLlamaPermutesQueryAndKeyRowsForAdjacentPairRope() throws IOException {
        HfFixture.writeConfig(dir, "LlamaForCausalLM", 2, null);
        HfFixture.writeTokenizer(dir, false);
        SplittableRandom rnd = new SplittableRandom(4);
        Map<String, Map<String, HfFixture.Tensor>> shards = Map.of("model-00001-of-00002.safetensors", new LinkedHashMap<>(),
                "model-00002-of-00002.safetensors", new LinkedHashMap<>());
        Map<String, float[]> weights = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        List<String> names = new ArrayList<>(List.of("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"));
        for (int l = 0; l < 2; l++) {
            for (String linear : HfFixture.LINEAR) {
                names.add("model.layers." + l + "." + linear + ".weight");
            }
            names.add("model.layers." + l + ".input_layernorm.weight");
            names.add("model.layers." + l + ".post_attention_layernorm.weight");
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long[] shape = name.contains("norm") ? new long[] {HIDDEN} : name.contains("layers") ? toLong(HfFixture.outIn(
                    name.substring(name.indexOf('.', "model.layers.".length()) + 1, name.length() - ".weight".length()))) : new long[] {HfFixture.VOCAB, HIDDEN};
            int n = (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]);
            float[] w = HfFixture.gaussian(rnd, n, 0.1);
            weights.put(name, w);
            String shard = i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            shards.get(shard).put(name, HfFixture.f32(w, shape));
            index.append(i == 0 ? "" : ",").append('"').append(name).append("\": \"").append(shard).append('"');
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
        for (var e : shards.entrySet()) {
            HfFixture.writeSafetensors(dir.resolve(e.getKey()), e.getValue());
        }
        List<String> warnings = new ArrayList<>();
        Path out = convert(dir, GgmlType.F32, Optional.empty(), warnings);
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals("llama", f.metadata().getString("general.architecture"));
            assertEquals("gpt-2", f.metadata().getString("tokenizer.ggml.pre"));
            assertEquals(3 + 2 * 9, f.tensors().size());
            assertArrayEquals(weights.get("lm_head.weight"), ConversionTest.values(f.tensor("output.weight")));
            assertArrayEquals(weights.get("model.layers.1.self_attn.v_proj.weight"), ConversionTest.values(f.tensor("blk.1.attn_v.weight")));
            for (String[] qk : new String[][] {{"q_proj", "attn_q", "4"}, {"k_proj", "attn_k", "2"}}) {
                float[] hf = weights.get("model.layers.1.self_attn." + qk[0] + ".weight");
                float[] gguf = ConversionTest.values(f.tensor("blk.1." + qk[1] + ".weight"));
                int heads = Integer.parseInt(qk[2]);
                int hd = HfFixture.HEAD_DIM;
                // llama.cpp's permute: within each head, output row 2i + j is input row j·hd/2 + i
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < hd / 2; i++) {
                        for (int j = 0; j < 2; j++) {
                            int outRow = h * hd + 2 * i + j;
                            int inRow = h * hd + j * hd / 2 + i;
                            for (int c = 0; c < HIDDEN; c++) {
                                assertEquals(hf[inRow * HIDDEN + c], gguf[outRow * HIDDEN + c], 0f, qk[0] + " row " + outRow);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void floatBitNetWeightsAreTernarizedAsBitLinearDoes() throws IOException {
        HfFixture.writeConfig(dir, "BitnetForCausalLM", 1, null);
        HfFixture.writeTokenizer(dir, false);
        SplittableRandom rnd = new SplittableRandom(5);
        Map<String, HfFixture.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", HfFixture.f32(HfFixture.gaussian(rnd, HfFixture.VOCAB * HIDDEN, 0.02), HfFixture.VOCAB, HIDDEN));
        float[] q = HfFixture.gaussian(rnd, HIDDEN * HIDDEN, 0.05);
        String p = "model.layers.0.";
        for (String linear : HfFixture.LINEAR) {
            int[] oi = HfFixture.outIn(linear);
            float[] w = linear.equals("self_attn.q_proj") ? q : HfFixture.gaussian(rnd, oi[0] * oi[1], 0.05);
            tensors.put(p + linear + ".weight", HfFixture.f32(w, oi[0], oi[1]));
        }
        for (String norm : new String[] {"input_layernorm", "post_attention_layernorm", "self_attn.inner_attn_ln"}) {
            tensors.put(p + norm + ".weight", HfFixture.f32(HfFixture.gaussian(rnd, HIDDEN, 1), HIDDEN));
        }
        tensors.put(p + "mlp.ffn_layernorm.weight", HfFixture.f32(HfFixture.gaussian(rnd, HfFixture.FFN, 1), HfFixture.FFN));
        tensors.put("model.norm.weight", HfFixture.f32(HfFixture.gaussian(rnd, HIDDEN, 1), HIDDEN));
        HfFixture.writeSafetensors(dir.resolve("model.safetensors"), tensors);
        Path out = convert(dir, GgmlType.F32, Optional.empty(), new ArrayList<>());
        double sum = 0;
        for (float v : q) {
            sum += Math.abs(v);
        }
        float inv = 1f / Math.max((float) (sum / q.length), 1e-5f); // weight_quant: s = 1 / max(mean|W|, 1e-5)
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals("bitnet", f.metadata().getString("general.architecture"));
            float[] w = ConversionTest.values(f.tensor("blk.0.attn_q.weight"));
            for (int i = 0; i < q.length; i++) {
                float t = Math.max(-1f, Math.min(1f, (float) Math.rint(q[i] * inv)));
                assertEquals(t * (1f / inv), w[i], 0f, "element " + i);
            }
            assertEquals(GgmlType.F32, f.tensor("blk.0.attn_sub_norm.weight").type());
        }
    }

    @Test
    void badCheckpointsFailNamingFileAndTensor() throws IOException {
        HfFixture.writePackedBitNet(dir, "autobitlinear", 6, new LinkedHashMap<>());
        Path st = dir.resolve("model.safetensors");
        byte[] good = Files.readAllBytes(st);

        Files.write(st, java.util.Arrays.copyOf(good, 5));
        assertFails("model.safetensors: 5 bytes is too short");
        Files.write(st, java.util.Arrays.copyOf(good, 100));
        assertFails("does not fit the file's 100 bytes");

        String header = new String(good, 8, (int) java.nio.ByteBuffer.wrap(good, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(),
                java.nio.charset.StandardCharsets.UTF_8);
        Files.write(st, replaceInHeader(good, header, "\"dtype\":\"F32\"", "\"dtype\":\"Q32\""));
        assertFails("tensor 'model.layers.0.input_layernorm.weight' has unknown dtype 'Q32'");
        Files.write(st, replaceInHeader(good, header, "\"shape\":[256],", "\"shape\":[255],"));
        assertFails("'model.layers.0.input_layernorm.weight': shape [255] of F32 needs 1020 bytes but data_offsets span 1024");
        Files.write(st, replaceInHeader(good, header, "model.layers.0.self_attn.q_proj.weight_scale", "model.layers.0.self_attn.q_proj.weight_scalx"));
        assertFails("has no model.layers.0.self_attn.q_proj.weight_scale");
        Files.write(st, good);

        Files.delete(dir.resolve("config.json"));
        assertFails("has no config.json");
        HfFixture.writeConfig(dir, "GPT2LMHeadModel", 1, null);
        assertFails("architecture GPT2LMHeadModel is not supported");
        HfFixture.writeConfig(dir, "BitNetForCausalLM", 1, null);
        assertFails("no \"quantization_config\"");
    }

    private void assertFails(String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> convert(dir, GgmlType.TQ2_0, Optional.empty(), new ArrayList<>()));
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    /** The file with one header substring replaced by another of the same length. */
    private static byte[] replaceInHeader(byte[] file, String header, String from, String to) {
        assertEquals(from.length(), to.length());
        assertTrue(header.contains(from), from);
        byte[] out = file.clone();
        byte[] h = header.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(h, 0, out, 8, h.length);
        return out;
    }

    private static long[] toLong(int[] v) {
        return new long[] {v[0], v[1]};
    }
}
