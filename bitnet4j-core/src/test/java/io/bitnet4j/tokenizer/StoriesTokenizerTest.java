package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 512-token SentencePiece vocabulary of stories260K, from the converted GGUF and from llama2.c's
 * {@code tok512.bin}, against the ids and text libllama produced.
 */
class StoriesTokenizerTest {
    static Tokenizer gguf;
    static Tokenizer llama2c;

    @BeforeAll
    static void load() throws IOException {
        gguf = Tokenizers.load(Fixtures.require("models/stories260K/stories260K.gguf"));
        llama2c = Tokenizers.load(Fixtures.require("models/stories260K/tok512.bin"));
    }

    @Test
    void greedyOutputDecodesToTheReferenceText() throws IOException {
        int[] ids = Arrays.stream(Files.readString(Fixtures.require("models/stories260K/greedy200.ids")).strip().split(" "))
                .mapToInt(Integer::parseInt).toArray();
        String text = Files.readString(Fixtures.require("models/stories260K/greedy200.txt"));
        assertTrue(text.startsWith(" Once upon a time"), "the reference keeps the space of ▁Once");
        assertEquals(200, ids.length);
        assertEquals(text, gguf.decode(ids));
        assertEquals(text, llama2c.decode(ids));
    }

    @Test
    void promptEncodesToTheReferenceIds() throws IOException {
        String json = Files.readString(Fixtures.require("models/stories260K/logits-seq32.json"));
        int[] expected = Arrays.stream(group(json, "\"tokens\": \\[([^\\]]*)]").split(","))
                .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        String text = group(json, "\"text\": \"([^\"]*)\"");
        assertEquals(32, expected.length);
        assertArrayEquals(expected, gguf.encode(text), "BOS + text");
        assertArrayEquals(expected, llama2c.encode(text));
    }

    private static String group(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    @Test
    void llama2cVocabularyEqualsTheConvertedOne() {
        assertEquals(512, llama2c.vocabSize());
        assertEquals(gguf.vocabSize(), llama2c.vocabSize());
        for (int id = 0; id < gguf.vocabSize(); id++) {
            assertEquals(gguf.tokenText(id), llama2c.tokenText(id), "text of " + id);
            assertEquals(gguf.tokenType(id), llama2c.tokenType(id), "type of " + id);
            assertArrayEquals(gguf.piece(id, true), llama2c.piece(id, true), "piece of " + id);
        }
        assertEquals(gguf.specialTokens(), llama2c.specialTokens());
    }

    @Test
    void llama2cAndGgufEncodeAlike() throws IOException {
        String stories = Files.readString(Fixtures.require("text/tinystories_sample.txt"));
        assertArrayEquals(gguf.encode(stories), llama2c.encode(stories));
        for (VocabCases.Case c : VocabCases.read("llama-spm")) {
            assertArrayEquals(gguf.encode(c.text(), false, false), llama2c.encode(c.text(), false, false), "case " + c.index());
            assertArrayEquals(gguf.encode(c.text(), true, true), llama2c.encode(c.text(), true, true), "case " + c.index());
        }
    }

    @Test
    void unsetIdsStoredAsU32MaxAreIgnored() {
        SpecialTokens s = gguf.specialTokens();
        assertEquals(Tokenizer.NO_TOKEN, s.sep(), "seperator_token_id = 4294967295 means unset");
        assertEquals(Tokenizer.NO_TOKEN, s.pad());
        assertEquals(1, s.bos());
        assertEquals(2, s.eos());
        assertTrue(gguf.isEndOfGeneration(2));
    }

    @Test
    void textOutsideTheSmallVocabularyRoundTripsThroughBytes() {
        String text = "日本 café";
        int[] ids = gguf.encode(text, false, false);
        assertTrue(Arrays.stream(ids).anyMatch(id -> gguf.tokenType(id) == TokenType.BYTE));
        assertEquals(" " + text, gguf.decode(ids));
    }
}
