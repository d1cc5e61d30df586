package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The peers' GGUF files (llama.cpp, gguf-py, bitnet.cpp) read completely, agree with the fixture README, and copy byte for byte. */
class GgufFixturesTest {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    static Stream<String> allFixtureFiles() {
        return Stream.of(
                "tokenizers/ggml-vocab-llama-spm.gguf",
                "tokenizers/ggml-vocab-gpt-2.gguf",
                "tokenizers/ggml-vocab-llama-bpe.gguf",
                "models/stories260K/stories260K.gguf",
                "models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf",
                "models/bitnet-silu-tiny/bitnet-silu-tiny-tq1_0.gguf",
                "models/bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf",
                "models/bitnet-i2s-tiny/bitnet-tiny-b158-f32.gguf",
                "models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf",
                "models/bitnet-i2s-tiny/bitnet-tiny-silu-f32.gguf",
                "models/bitnet-i2s-tiny/bitnet-tiny-silu-i2s.gguf");
    }

    /** Every file, re-written from what we read, is identical to the original byte for byte (I2_S padding included). */
    @ParameterizedTest
    @MethodSource("allFixtureFiles")
    void readWriteReadIsByteIdentical(String fixture) throws IOException {
        Path original = Fixtures.require(fixture);
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile f = GgufFile.open(original)) {
            for (GgufTensor t : f.tensors()) {
                t.data().get(ValueLayout.JAVA_BYTE, t.byteSize() - 1); // every tensor's bytes are mapped and reachable
            }
            GgufWriter.copy(f, copy);
            try (GgufFile back = GgufFile.open(copy)) {
                assertEquals(f.metadata(), back.metadata());
                assertEquals(List.copyOf(f.metadata().keys()), List.copyOf(back.metadata().keys()));
                assertEquals(f.tensors().size(), back.tensors().size());
            }
        }
        assertEquals(-1L, Files.mismatch(original, copy), "first differing byte");
    }

    @Test
    void llama3BpeVocabHasItsFullArrays() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require("tokenizers/ggml-vocab-llama-bpe.gguf"))) {
            GgufMetadata m = f.metadata();
            assertEquals(3, f.version());
            assertEquals(0, f.tensors().size());
            assertEquals("gpt2", m.getString("tokenizer.ggml.model"));
            assertEquals("llama-bpe", m.getString("tokenizer.ggml.pre"));
            assertEquals(128256, m.getInt("llama.vocab_size"));
            assertEquals(8192, m.getInt("llama.context_length"));
            assertEquals(500000f, m.getFloat("llama.rope.freq_base"));
            assertEquals(128000, m.getInt("tokenizer.ggml.bos_token_id"));
            assertEquals(128001, m.getInt("tokenizer.ggml.eos_token_id"));
            GgufArray tokens = m.getArray("tokenizer.ggml.tokens");
            assertEquals(128256, tokens.length());
            assertEquals("<|begin_of_text|>", tokens.getString(128000));
            assertEquals("<|eot_id|>", tokens.getString(128009));
            GgufArray types = m.getArray("tokenizer.ggml.token_type");
            assertEquals(1, types.getInt(127999), "NORMAL");
            assertEquals(3, types.getInt(128000), "CONTROL");
            GgufArray merges = m.getArray("tokenizer.ggml.merges");
            assertEquals(280147, merges.length());
            for (int i = 0; i < merges.length(); i += 997) {
                assertTrue(merges.getString(i).split(" ", -1).length == 2, "merge '" + merges.getString(i) + "' is 'a b'");
            }
            assertTrue(m.getString("tokenizer.chat_template").contains("<|start_header_id|>"));
        }
    }

    @Test
    void spmAndGpt2VocabsHaveTheirSizes() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require("tokenizers/ggml-vocab-llama-spm.gguf"))) {
            assertEquals("llama", f.metadata().getString("tokenizer.ggml.model"));
            assertEquals(32000, f.metadata().getArray("tokenizer.ggml.tokens").length());
            assertEquals(32000, f.metadata().getArray("tokenizer.ggml.scores").toFloatArray().length);
        }
        try (GgufFile f = GgufFile.open(Fixtures.require("tokenizers/ggml-vocab-gpt-2.gguf"))) {
            assertEquals(50257, f.metadata().getArray("tokenizer.ggml.tokens").length());
            assertEquals(50000, f.metadata().getArray("tokenizer.ggml.merges").length());
            assertEquals("gpt-2", f.metadata().getString("tokenizer.ggml.pre"));
        }
    }

    @Test
    void stories260KMatchesItsReadme() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require("models/stories260K/stories260K.gguf"))) {
            GgufMetadata m = f.metadata();
            assertEquals("llama", m.getString("general.architecture"));
            assertEquals(48, f.tensors().size());
            assertTrue(f.tensors().stream().allMatch(t -> t.type() == GgmlType.F32));
            assertArrayEquals(new long[] {64, 512}, f.tensor("token_embd.weight").dims());
            assertArrayEquals(new long[] {64, 512}, f.tensor("output.weight").dims());
            assertArrayEquals(new long[] {64, 32}, f.tensor("blk.4.attn_k.weight").dims());
            assertArrayEquals(new long[] {172, 64}, f.tensor("blk.0.ffn_down.weight").dims());
            assertEquals(Shape.of(64, 172), f.tensor("blk.0.ffn_down.weight").shape(), "outer-first [out, in]");
            assertEquals(512, m.getInt("llama.context_length"));
            assertEquals(8, m.getInt("llama.rope.dimension_count"));
            assertEquals(1e-5f, m.getFloat("llama.attention.layer_norm_rms_epsilon"));
            assertEquals(1, m.getInt("tokenizer.ggml.bos_token_id"));
            assertEquals(2, m.getInt("tokenizer.ggml.eos_token_id"));
            assertEquals(0, m.getInt("tokenizer.ggml.unknown_token_id"));
            assertEquals(512, m.getArray("tokenizer.ggml.tokens").length());
            assertEquals("<s>", m.getArray("tokenizer.ggml.tokens").getString(1));
            // u32 4294967295 meaning -1: tolerated, readable as its unsigned value, never silently an int
            assertEquals(4294967295L, m.getLong("tokenizer.ggml.seperator_token_id"));
            assertEquals(4294967295L, m.getLong("tokenizer.ggml.padding_token_id"));
            assertThrows(IllegalArgumentException.class, () -> m.getInt("tokenizer.ggml.padding_token_id"));
        }
    }

    @Test
    void ternaryTqFilesHoldTheManifestScales() throws IOException {
        Map<String, Double> scales = manifestScales(Fixtures.require("models/bitnet-silu-tiny/manifest.json"), "per_tensor_scales");
        for (String kind : new String[] {"tq1_0", "tq2_0"}) {
            GgmlType type = kind.equals("tq1_0") ? GgmlType.TQ1_0 : GgmlType.TQ2_0;
            try (GgufFile f = GgufFile.open(Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-" + kind + ".gguf"))) {
                assertEquals(46, f.tensors().size());
                assertEquals(type == GgmlType.TQ1_0 ? 36 : 37, f.metadata().getInt("general.file_type"));
                assertEquals(2, f.metadata().getInt("general.quantization_version"));
                assertEquals(GgmlType.F16, f.tensor("token_embd.weight").type());
                assertEquals(28, f.tensors().stream().filter(t -> t.type() == type).count(), "7 linears x 4 layers");
                assertEquals(17, f.tensors().stream().filter(t -> t.type() == GgmlType.F32).count(), "4 norms x 4 layers + output_norm");
                GgufTensor down = f.tensor("blk.0.ffn_down.weight");
                assertArrayEquals(new long[] {768, 256}, down.dims());
                assertEquals(256L * 768 / 256 * type.blockBytes(), down.byteSize());
                for (Map.Entry<String, Double> e : scales.entrySet()) {
                    GgufTensor t = f.tensor(e.getKey());
                    // the block's f16 d is its last 2 bytes; every block of these tensors stores d = s
                    short d = t.data().get(F16_LE, type.blockBytes() - 2);
                    assertEquals(e.getValue().floatValue(), Float.float16ToFloat(d), e.getKey());
                }
            }
        }
        try (GgufFile f = GgufFile.open(Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf"))) {
            assertTrue(f.tensors().stream().allMatch(t -> t.type() == GgmlType.F32));
            assertEquals(0, f.metadata().getInt("general.file_type"));
            assertEquals("silu", f.metadata().getString("bitnet.hidden_activation"));
        }
    }

    @Test
    void i2sFilesUseType36WithTheScaleAtAQuarterOfTheElements() throws IOException {
        Path manifest = Fixtures.require("models/bitnet-i2s-tiny/manifest.json");
        Map<String, Double> scales = manifestScales(manifest, "\"b158\"");
        assertEquals(28, scales.size());
        try (GgufFile f = GgufFile.open(Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf"))) {
            assertEquals("bitnet-b1.58", f.metadata().getString("general.architecture"));
            assertEquals(40, f.metadata().getInt("general.file_type"));
            assertEquals(46, f.tensors().size());
            assertEquals(28, f.tensors().stream().filter(t -> t.type() == GgmlType.I2_S).count());
            GgufTensor q = f.tensor("blk.0.attn_q.weight");
            assertEquals(256L * 256 / 4 + 32, q.byteSize());
            assertArrayEquals(new long[] {256, 768}, f.tensor("blk.0.ffn_up.weight").dims());
            for (Map.Entry<String, Double> e : scales.entrySet()) {
                GgufTensor t = f.tensor(e.getKey());
                assertEquals(GgmlType.I2_S, t.type(), e.getKey());
                assertEquals(e.getValue().floatValue(), t.data().get(F32_LE, t.nElements() / 4), e.getKey());
            }
        }
    }

    /** Tensor name → "scale" from a manifest, read with a regex (core has no JSON library), after {@code section}. */
    private static Map<String, Double> manifestScales(Path manifest, String section) throws IOException {
        String json = Files.readString(manifest);
        int from = json.indexOf(section);
        int to = section.startsWith("\"b158") ? json.indexOf("\"silu\"", from) : json.indexOf('}', from);
        String part = json.substring(from, to < 0 ? json.length() : to);
        Pattern p = section.startsWith("\"b158")
                ? Pattern.compile("\"name\":\\s*\"([^\"]+)\"[^}]*?\"scale\":\\s*([0-9.eE+-]+)")
                : Pattern.compile("\"(blk\\.[^\"]+)\":\\s*([0-9.eE+-]+)");
        Map<String, Double> out = new HashMap<>();
        Matcher m = p.matcher(part);
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertTrue(!out.isEmpty(), "no scales found in " + manifest);
        return out;
    }
}
