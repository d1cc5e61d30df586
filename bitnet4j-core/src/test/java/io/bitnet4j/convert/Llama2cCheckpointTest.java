package io.bitnet4j.convert;

import io.bitnet4j.tokenizer.TokenType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stories260K.bin + tok512.bin against llama.cpp's llama-convert-llama2c-to-ggml output. */
class Llama2cCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void convertsToLlamaCppsFileTensorForTensorAndKeyForKey() throws IOException {
        Path bin = Fixtures.require("models/stories260K/stories260K.bin");
        Path tok = Fixtures.require("models/stories260K/tok512.bin");
        Path expected = Fixtures.require("models/stories260K/stories260K.gguf");
        Path out = dir.resolve("stories.gguf");
        List<String> warnings = new ArrayList<>();
        try (ModelSource src = Llama2cCheckpoint.open(bin, tok)) {
            Conversion.convert(src, out, ConvertOptions.to(GgmlType.F32), Optional.empty(), new ModelConverter.Listener() {}, warnings::add);
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
        try (GgufFile ours = GgufFile.open(out); GgufFile theirs = GgufFile.open(expected)) {
            assertEquals(theirs.tensors().stream().map(GgufTensor::name).toList(), ours.tensors().stream().map(GgufTensor::name).toList());
            for (GgufTensor t : theirs.tensors()) {
                GgufTensor o = ours.tensor(t.name());
                assertEquals(GgmlType.F32, o.type());
                assertArrayEquals(t.dims(), o.dims(), t.name());
                assertArrayEquals(t.data().toArray(ValueLayout.JAVA_BYTE), o.data().toArray(ValueLayout.JAVA_BYTE), t.name());
            }
            // the documented key differences: we add general.file_type and leave out the two "none" ids
            Set<String> added = Set.of("general.file_type");
            Set<String> omitted = Set.of("tokenizer.ggml.seperator_token_id", "tokenizer.ggml.padding_token_id");
            List<String> expectedKeys = theirs.metadata().keys().stream().filter(k -> !omitted.contains(k)).toList();
            List<String> ourKeys = ours.metadata().keys().stream().filter(k -> !added.contains(k)).toList();
            assertEquals(expectedKeys, ourKeys, "same keys in the same order");
            for (String k : expectedKeys) {
                assertEquals(theirs.metadata().get(k), ours.metadata().get(k), k);
            }
            assertEquals(0, ours.metadata().getLong("general.file_type"));
            assertEquals(4294967295L, theirs.metadata().getLong("tokenizer.ggml.padding_token_id"));
        }
    }

    @Test
    void anUnsharedClassifierIsReadAfterTheRopeTables() throws IOException {
        // dim 8, hidden 16, 1 layer, 2 heads, 1 KV head, vocab −5 (unshared), seq_len 4: every float its own index
        int[] header = {8, 16, 1, 2, 1, -5, 4};
        int dim = 8;
        int kvDim = 4;
        long floats = 5 * 8 + 8 + 64 + 2 * 32 + 64 + 8 + 3 * 128 + 8 + 4 * 4 + 5 * 8;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (28 + 4 * floats)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int h : header) {
            b.putInt(h);
        }
        for (int i = 0; i < floats; i++) {
            b.putFloat(i);
        }
        Path bin = dir.resolve("tiny.bin");
        Files.write(bin, b.array());
        java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(4 + 5 * 9).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(1);
        for (int i = 0; i < 5; i++) {
            t.putFloat(-i).putInt(1).put((byte) ('a' + i));
        }
        Path tok = dir.resolve("tok.bin");
        Files.write(tok, t.array());
        try (ModelSource src = Llama2cCheckpoint.open(bin, tok)) {
            float[] embd = values(src, "token_embd.weight");
            float[] out = values(src, "output.weight");
            float[] k = values(src, "blk.0.attn_k.weight");
            assertEquals(0f, embd[0]);
            assertEquals(floats - 40, out[0], 0f, "the classifier is the last vocab·dim floats");
            assertEquals(40 + 8 + 64, k[0], 0f, "wk follows the embedding, the norms and wq");
            assertEquals(dim * kvDim, k.length);
            assertArrayEquals(new long[] {8, 4}, src.tensors().stream().filter(x -> x.name().equals("blk.0.attn_k.weight")).findFirst().orElseThrow().dims());
        }
    }

    private static float[] values(ModelSource src, String name) {
        var rows = src.tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().rows();
        float[] v = new float[(int) rows.elements()];
        rows.readRows(0, (int) rows.rows(), v);
        return v;
    }

    @Test
    void badCheckpointsAreNamed() throws IOException {
        Path tok = Fixtures.require("models/stories260K/tok512.bin");
        byte[] good = Files.readAllBytes(Fixtures.require("models/stories260K/stories260K.bin"));
        Path truncated = dir.resolve("cut.bin");
        Files.write(truncated, Arrays.copyOf(good, good.length - 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Llama2cCheckpoint.open(truncated, tok).close());
        assertTrue(e.getMessage().contains("cut.bin") && e.getMessage().contains("truncated"), e.getMessage());

        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[10]);
        e = assertThrows(IllegalArgumentException.class, () -> Llama2cCheckpoint.open(tiny, tok).close());
        assertTrue(e.getMessage().contains("too short"), e.getMessage());

        byte[] zeroDim = good.clone();
        zeroDim[0] = 0;
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, zeroDim);
        e = assertThrows(IllegalArgumentException.class, () -> Llama2cCheckpoint.open(bad, tok).close());
        assertTrue(e.getMessage().contains("dim is 0"), e.getMessage());

        Path shortTok = dir.resolve("tok.bin");
        byte[] t = Files.readAllBytes(tok);
        Files.write(shortTok, Arrays.copyOf(t, t.length - 3));
        Path goodBin = dir.resolve("good.bin");
        Files.write(goodBin, good);
        e = assertThrows(IllegalArgumentException.class, () -> Llama2cCheckpoint.open(goodBin, shortTok).close());
        assertTrue(e.getMessage().contains("tok.bin") && e.getMessage().contains("token 511"), e.getMessage());
    }

    @Test
    void tokenTypesFollowTheConverter() throws IOException {
        var md = Llama2cTokenizer.read(Fixtures.require("models/stories260K/tok512.bin"), 512);
        var tokens = (io.bitnet4j.gguf.GgufArray) md.get("tokenizer.ggml.tokens");
        var types = (io.bitnet4j.gguf.GgufArray) md.get("tokenizer.ggml.token_type");
        assertEquals("<s>", tokens.getString(1)); // stored as "\n<s>\n" in tok512.bin
        assertEquals("▁the", tokens.getString(265)); // " the" in tok512.bin
        assertEquals(TokenType.BYTE.code(), types.getInt(3));
        assertEquals(TokenType.UNKNOWN.code(), types.getInt(0));
        assertTrue(md.values().stream().allMatch(v -> v instanceof GgufValue));
    }
}
