package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LLaMA 3 byte-level BPE (the vocabulary of BitNet b1.58 2B-4T) against llama.cpp's fixture ids, and
 * the tiktoken {@code tokenizer.model} loader against the GGUF vocabulary. Both 128 256-token vocabularies
 * load once for the class.
 */
class LlamaBpeTokenizerTest {
    static GgufMetadata metadata;
    static Tokenizer gguf;
    static Tokenizer tiktoken;
    static List<VocabCases.Case> cases;

    @BeforeAll
    static void load() throws IOException {
        try (GgufFile f = GgufFile.open(VocabCases.gguf("llama-bpe"))) {
            metadata = f.metadata();
        }
        gguf = Tokenizers.fromGguf(metadata);
        tiktoken = Tokenizers.fromTiktoken(Fixtures.require("tokenizers/llama3-tiktoken/tokenizer.model"));
        cases = VocabCases.read("llama-bpe");
    }

    @Test
    void everyFixtureTextEncodesToTheReferenceIds() {
        assertEquals(Tokenizer.Kind.BYTE_LEVEL_BPE, gguf.kind());
        VocabCases.assertAllEncode(gguf, cases);
    }

    @Test
    void decodingInvertsEncodingExactly() {
        for (VocabCases.Case c : cases) {
            assertEquals(c.text(), gguf.decode(gguf.encode(c.text(), false, false)), "case " + c.index());
        }
    }

    @Test
    void tiktokenLoaderBuildsTheSameVocabularyAndIds() throws IOException {
        assertEquals(gguf.vocabSize(), tiktoken.vocabSize());
        for (int id = 0; id < gguf.vocabSize(); id++) {
            assertEquals(gguf.tokenText(id), tiktoken.tokenText(id), "token text " + id);
            assertEquals(gguf.tokenType(id), tiktoken.tokenType(id), "token type " + id);
        }
        VocabCases.assertAllEncode(tiktoken, cases);
        String stories = Files.readString(Fixtures.require("text/tinystories_sample.txt"));
        String wiki = Files.readString(Fixtures.require("corpora/wikitext-2-test.txt")).substring(0, 60_000);
        for (String text : List.of(stories, wiki)) {
            assertArrayEquals(gguf.encode(text, true, false), tiktoken.encode(text, true, false));
        }
        assertEquals(gguf.specialTokens(), tiktoken.specialTokens());
    }

    @Test
    void specialTokensFollowLlamaCpp() {
        SpecialTokens s = gguf.specialTokens();
        assertEquals(128000, s.bos());
        assertEquals(128001, s.eos());
        assertEquals(128009, s.eot(), "EOT is found by its text <|eot_id|>");
        assertEquals(Set.of(128001, 128009), s.endOfGeneration());
        assertTrue(s.addBos(), "llama.cpp adds BOS for pre-tokenizer llama-bpe");
        assertFalse(s.addEos());
        assertTrue(gguf.isEndOfGeneration(128009));
        assertFalse(gguf.isEndOfGeneration(128000));
        assertEquals(TokenType.CONTROL, gguf.tokenType(128006));
    }

    @Test
    void addSpecialPrependsBos() {
        int[] plain = gguf.encode("Hello world", false, false);
        int[] withBos = gguf.encode("Hello world");
        assertEquals(128000, withBos[0]);
        assertArrayEquals(plain, java.util.Arrays.copyOfRange(withBos, 1, withBos.length));
    }

    @Test
    void specialTokenTextIsParsedOnlyWhenAsked() {
        String text = "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>";
        int[] parsed = gguf.encode(text, false, true);
        int[] expected = concat(new int[] {128006}, gguf.encode("user", false, false), new int[] {128007},
                gguf.encode("\n\nHi there", false, false), new int[] {128009});
        assertArrayEquals(expected, parsed);

        int[] literal = gguf.encode(text, false, false);
        assertTrue(IntStream.of(literal).allMatch(id -> id < 128000), "no special ids without parse-special");
        assertEquals(text, gguf.decode(literal));
    }

    @Test
    void controlTokensRenderOnlyWhenAsked() {
        assertArrayEquals(new byte[0], gguf.piece(128009));
        assertArrayEquals("<|eot_id|>".getBytes(StandardCharsets.UTF_8), gguf.piece(128009, true));
        int[] ids = gguf.encode("Hi<|eot_id|>", true, true);
        assertEquals("Hi", gguf.decode(ids));
        assertEquals("<|begin_of_text|>Hi<|eot_id|>", gguf.decode(ids, true));
        assertArrayEquals(" world".getBytes(StandardCharsets.UTF_8), gguf.piece(gguf.tokenId("Ġworld")));
    }

    @Test
    void streamedPiecesNeverSplitACharacter() {
        for (VocabCases.Case c : cases) {
            Utf8StreamDecoder decoder = new Utf8StreamDecoder();
            StringBuilder text = new StringBuilder();
            for (int id : gguf.encode(c.text(), false, false)) {
                String chunk = decoder.decode(gguf.piece(id));
                assertWholeCharacters(chunk);
                text.append(chunk);
            }
            text.append(decoder.flush());
            assertEquals(c.text(), text.toString(), "case " + c.index());
        }
    }

    /** No replacement character (the texts have none) and no lone surrogate at either end. */
    static void assertWholeCharacters(String chunk) {
        assertFalse(chunk.indexOf('\uFFFD') >= 0, () -> "chunk with U+FFFD: " + chunk);
        if (!chunk.isEmpty()) {
            assertFalse(Character.isLowSurrogate(chunk.charAt(0)), chunk);
            assertFalse(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)), chunk);
        }
    }

    @Test
    void piecesRenderedByTwoThreadsAtOnceAreTheSequentialOnes() throws Exception {
        Tokenizer fresh = Tokenizers.fromGguf(metadata); // nothing rendered yet: pieces render when first asked for
        int n = fresh.vocabSize();
        byte[][][] seen = new byte[2][n][];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int id = 0; id < n; id++) {
                    seen[thread][id] = fresh.piece(id, true);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int id = 0; id < n; id++) {
            byte[] expected = tiktoken.piece(id, true); // another loader's tokenizer, asked one token at a time
            assertArrayEquals(expected, seen[0][id], "piece " + id);
            assertArrayEquals(expected, seen[1][id], "piece " + id);
        }
    }

    @Test
    void missingPreTokenizerOnALlama3VocabularyUsesLlama3Rules() {
        Map<String, GgufValue> entries = new LinkedHashMap<>(metadata.asMap());
        entries.remove("tokenizer.ggml.pre");
        Tokenizer noPre = Tokenizers.fromGguf(new GgufMetadata(entries));
        VocabCases.assertAllEncode(noPre, cases);
        assertTrue(noPre.specialTokens().addBos());
    }

    static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }
}
