package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad vocabularies and bad calls fail with an {@link IllegalArgumentException} that says what and where. */
class TokenizerErrorsTest {
    @TempDir
    Path dir;

    private static void assertFails(String expectedPart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }

    @Test
    void unknownOrMissingTokenizerModel() {
        assertFails("unknown tokenizer model 'bert'", () -> SyntheticVocab.spm("a").put("tokenizer.ggml.model", GgufValue.string("bert")).build());
        assertFails("'tokenizer.ggml.model' is missing", () -> SyntheticVocab.spm("a").remove("tokenizer.ggml.model").build());
        assertFails("has no vocabulary", () -> SyntheticVocab.spm("a").put("tokenizer.ggml.model", GgufValue.string("no_vocab")).build());
    }

    @Test
    void missingOrMalformedArrays() {
        assertFails("'tokenizer.ggml.tokens' is missing", () -> SyntheticVocab.spm("a").remove("tokenizer.ggml.tokens").build());
        assertFails("not of STRING", () -> SyntheticVocab.spm().put("tokenizer.ggml.tokens", GgufArray.ofInt32(1, 2)).build());
        assertFails("vocabulary is empty", () -> SyntheticVocab.spm().build());
        assertFails("2 tokens but 3 scores", () -> SyntheticVocab.spm("a", "b").scores(1, 2, 3).build());
        assertFails("tokenizer.ggml.token_type': element 1: token type code 9",
                () -> SyntheticVocab.spm("a", "b").put("tokenizer.ggml.token_type", GgufArray.ofInt32(1, 9)).build());
        assertFails("'tokenizer.ggml.scores'", () -> SyntheticVocab.spm("a").put("tokenizer.ggml.scores", GgufArray.ofStrings("x")).build());
        assertFails("is not <0xNN>", () -> SyntheticVocab.spm("a", "<0xZZ>").types(TokenType.NORMAL, TokenType.BYTE).build());
    }

    @Test
    void byteLevelBpeNeedsMergesAndAKnownPreTokenizer() {
        assertFails("merges", () -> SyntheticVocab.bpe("gpt-2", List.of(), "a").remove("tokenizer.ggml.merges").build());
        // the merge rules are checked when the first piece needs merging (the load does not decode them)
        Tokenizer badMerges = SyntheticVocab.bpe("gpt-2", List.of("a b", "ab"), "a", "b").build();
        assertFails("'tokenizer.ggml.merges': merge 1 'ab'", () -> badMerges.encode("ab", false, false));
        assertFails("unknown pre-tokenizer 'qwen2'", () -> SyntheticVocab.bpe("qwen2", List.of(), "a").build());
    }

    @Test
    void badIdsAndTexts() {
        Tokenizer t = SyntheticVocab.spm("<unk>", "<s>", "</s>", "a").build();
        assertFails("decode: ids[1]: token id 4 is out of range [0, 4)", () -> t.decode(new int[] {3, 4}));
        assertFails("token id -1 is out of range", () -> t.piece(-1));
        assertFails("out of range", () -> t.tokenText(4));
        assertFails("out of range", () -> t.tokenType(99));
        assertFails("null", () -> t.encode(null, true, false));
    }

    @Test
    void outOfRangeSpecialIdsKeepTheDefaultsAndMissingBosIsReportedWhenNeeded() {
        Tokenizer t = SyntheticVocab.spm("u", "b", "c", "d").put("tokenizer.ggml.unknown_token_id", GgufValue.u32(4294967295L))
                .put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false)).build();
        assertTrue(t.specialTokens().unk() == 0, "the default unk 0 is kept, as in llama.cpp");
        assertTrue(java.util.Arrays.equals(new int[] {0}, t.encode("z", false, false)));
        Tokenizer tiny = SyntheticVocab.spm("a").build(); // defaults bos 1, eos 2 lie outside the vocabulary
        assertTrue(tiny.specialTokens().bos() == Tokenizer.NO_TOKEN);
        assertFails("asks to add BOS but names no BOS", () -> tiny.encode("a"));
    }

    @Test
    void malformedLlama2cFiles() throws IOException {
        Path bad = dir.resolve("tokenizer.bin");
        Files.write(bad, le(0, 0));
        assertFails("max_token_length is 0", () -> Tokenizers.fromLlama2c(bad));
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 5 + 6).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8).putFloat(0f).putInt(5).put("<unk>".getBytes(StandardCharsets.US_ASCII)).putFloat(0f).putShort((short) 7);
        Files.write(bad, b.array());
        assertFails("token 1 at byte 17 is truncated", () -> Tokenizers.fromLlama2c(bad));
        ByteBuffer c = ByteBuffer.allocate(4 + 8).order(ByteOrder.LITTLE_ENDIAN).putInt(8).putFloat(0f).putInt(100);
        Files.write(bad, c.array());
        assertFails("token 0 at byte 4 has length 100", () -> Tokenizers.fromLlama2c(bad));
    }

    @Test
    void malformedTiktokenFiles() throws IOException {
        Path bad = dir.resolve("tokenizer.model");
        Files.writeString(bad, "YQ== 0\nYg==\n");
        assertFails("line 2: expected 'base64 rank'", () -> Tokenizers.fromTiktoken(bad));
        Files.writeString(bad, "YQ== 0\nYg== 0\n");
        assertFails("line 2: rank 0 appears twice", () -> Tokenizers.fromTiktoken(bad));
        Files.writeString(bad, "YQ== 0\nYg== x\n");
        assertFails("rank 'x' is not a non-negative integer", () -> Tokenizers.fromTiktoken(bad));
        Files.writeString(bad, "YQ== 0\n!!!! 1\n");
        assertFails("line 2: the token is not valid base64", () -> Tokenizers.fromTiktoken(bad));
    }

    @Test
    void loadSaysWhichFileIsMissing() {
        assertThrows(NoSuchFileException.class, () -> Tokenizers.load(dir.resolve("nope.gguf")));
    }

    private static byte[] le(int... ints) {
        ByteBuffer b = ByteBuffer.allocate(4 * ints.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : ints) {
            b.putInt(i);
        }
        return b.array();
    }
}
