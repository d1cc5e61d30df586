package io.bitnet4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic models of the hidden tiny preset: readable, consistent shapes, random trits at a third zeros, seeded. */
class SynthModelTest {
    @TempDir
    Path dir;

    private Path synth(GgmlType type, long seed, String file) throws IOException {
        Path out = dir.resolve(file);
        long[] last = {0};
        SynthModel.Summary s = SynthModel.write(SynthPreset.TINY, type, seed, Optional.empty(), out, (done, total) -> last[0] = done, w -> { });
        assertEquals(s.bytes(), last[0], "progress reaches the tensor byte total");
        return out;
    }

    @Test
    void tinyPresetIsAConsistentModelInEveryTernaryType() throws IOException {
        SynthPreset p = SynthPreset.TINY;
        for (GgmlType type : new GgmlType[] {GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S}) {
            try (GgufFile f = GgufFile.open(synth(type, 1, type + ".gguf"))) {
                GgufMetadata md = f.metadata();
                String arch = md.getString("general.architecture");
                assertEquals(type == GgmlType.I2_S ? "bitnet-b1.58" : "bitnet", arch);
                int hidden = md.getInt(arch + ".embedding_length");
                int ffn = md.getInt(arch + ".feed_forward_length");
                int layers = md.getInt(arch + ".block_count");
                int heads = md.getInt(arch + ".attention.head_count");
                int kv = md.getInt(arch + ".attention.head_count_kv");
                int vocab = ((GgufArray) md.get("tokenizer.ggml.tokens")).length();
                assertEquals(p.vocab(), vocab);
                assertEquals(md.getInt(arch + ".vocab_size"), vocab);
                assertEquals(hidden / heads, md.getInt(arch + ".rope.dimension_count"));
                assertArrayEquals(new long[] {hidden, vocab}, f.tensor("token_embd.weight").dims());
                assertEquals(2 + layers * 11, f.tensors().size());
                long zeros = 0;
                long trits = 0;
                for (int l = 0; l < layers; l++) {
                    String b = "blk." + l + ".";
                    assertArrayEquals(new long[] {hidden, hidden}, f.tensor(b + "attn_q.weight").dims());
                    assertArrayEquals(new long[] {hidden, hidden / heads * kv}, f.tensor(b + "attn_k.weight").dims());
                    assertArrayEquals(new long[] {hidden, ffn}, f.tensor(b + "ffn_up.weight").dims());
                    assertArrayEquals(new long[] {ffn, hidden}, f.tensor(b + "ffn_down.weight").dims());
                    assertArrayEquals(new long[] {ffn}, f.tensor(b + "ffn_sub_norm.weight").dims());
                    for (GgufTensor t : f.tensors()) {
                        if (t.name().startsWith(b) && t.type() == type) {
                            for (byte x : ConversionTest.trits(t)) { // decoding rejects any invalid code
                                zeros += x == 0 ? 1 : 0;
                                trits++;
                            }
                            float[] v = ConversionTest.values(t);
                            float s = 0;
                            for (float x : v) {
                                s = Math.max(s, Math.abs(x));
                            }
                            double expected = 0.8 / Math.sqrt(t.dims()[0]);
                            assertTrue(s > 0.7 * expected && s < 1.3 * expected, t.name() + " scale " + s);
                        }
                    }
                }
                assertEquals(1.0 / 3, (double) zeros / trits, 0.01, "a third of the trits are zero");
                for (float x : ConversionTest.values(f.tensor("blk.1.attn_norm.weight"))) {
                    assertEquals(1f, x, 0.15f);
                }
                assertEquals(FileType.of(type), md.getLong("general.file_type"));
                int bos = md.getInt("tokenizer.ggml.bos_token_id");
                assertEquals("<|begin_of_text|>", ((GgufArray) md.get("tokenizer.ggml.tokens")).getString(bos));
            }
        }
    }

    @Test
    void theSeedDecidesTheBytes() throws IOException {
        byte[] a = Files.readAllBytes(synth(GgmlType.TQ2_0, 7, "a.gguf"));
        byte[] b = Files.readAllBytes(synth(GgmlType.TQ2_0, 7, "b.gguf"));
        byte[] c = Files.readAllBytes(synth(GgmlType.TQ2_0, 8, "c.gguf"));
        assertArrayEquals(a, b);
        assertEquals(a.length, c.length);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void placeholderVocabularyIsByteLevelBpe() {
        var md = PlaceholderVocab.of(70000, 69744);
        GgufArray tokens = (GgufArray) md.get("tokenizer.ggml.tokens");
        assertEquals(70000, tokens.length());
        assertEquals(70000, new java.util.HashSet<>(tokens.strings()).size(), "tokens are distinct");
        assertEquals("Ċ", tokens.getString('\n')); // llama.cpp looks up the newline this way
        assertEquals("!", tokens.getString('!'));
        GgufArray merges = (GgufArray) md.get("tokenizer.ggml.merges");
        assertEquals(65536, merges.length());
        assertEquals(tokens.getString(256), merges.getString(0).replace(" ", ""));
        assertEquals(3, ((GgufArray) md.get("tokenizer.ggml.token_type")).getInt(69745));
    }

    @Test
    void aRealVocabularyMustHaveThePresetsSize() throws IOException {
        Path vocab = Fixtures.require("tokenizers/ggml-vocab-llama-spm.gguf");
        List<String> warnings = new ArrayList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SynthModel.write(SynthPreset.TINY, GgmlType.TQ2_0, 1,
                Optional.of(Conversion.vocabularyOf(vocab)), dir.resolve("v.gguf"), (done, total) -> { }, warnings::add));
        assertTrue(e.getMessage().contains("32000 tokens; preset tiny needs 1024"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SynthPreset.named("13b"));
        assertEquals(SynthPreset.B2B4T, SynthPreset.named("2B4T"));
    }
}
