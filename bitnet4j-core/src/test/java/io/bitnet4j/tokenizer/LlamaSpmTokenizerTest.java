package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The LLaMA (1/2) SentencePiece vocabulary against llama.cpp's fixture ids. */
class LlamaSpmTokenizerTest {
    static Tokenizer spm;
    static List<VocabCases.Case> cases;

    @BeforeAll
    static void load() throws IOException {
        spm = Tokenizers.load(VocabCases.gguf("llama-spm"));
        cases = VocabCases.read("llama-spm");
    }

    @Test
    void everyFixtureTextEncodesToTheReferenceIds() {
        assertEquals(Tokenizer.Kind.SENTENCEPIECE, spm.kind());
        VocabCases.assertAllEncode(spm, cases);
    }

    /** Lossless except for the space SentencePiece prefixes to non-empty input, which decoding keeps. */
    @Test
    void decodingGivesTheTextWithTheSpacePrefix() {
        for (VocabCases.Case c : cases) {
            String expected = c.text().isEmpty() ? "" : " " + c.text();
            assertEquals(expected, spm.decode(spm.encode(c.text(), false, false)), "case " + c.index());
        }
    }

    @Test
    void specialTokensAreLlamaDefaults() {
        SpecialTokens s = spm.specialTokens();
        assertEquals(List.of(1, 2, 0), List.of(s.bos(), s.eos(), s.unk()));
        assertEquals(Tokenizer.NO_TOKEN, s.eot());
        assertTrue(s.addBos());
        assertEquals(1, spm.encode("Hello")[0]);
    }

    @Test
    void parsedSpecialTokenSplitsTheTextAndRestartsTheSpacePrefix() {
        int[] parsed = spm.encode("Hello<s>world", false, true);
        int[] expected = LlamaBpeTokenizerTest.concat(spm.encode("Hello", false, false), new int[] {1},
                spm.encode("world", false, false));
        assertArrayEquals(expected, parsed);
        assertTrue(IntStream.of(spm.encode("Hello<s>world", false, false)).noneMatch(id -> id == 1));
    }

    @Test
    void charactersOutsideTheVocabularyFallBackToByteTokens() {
        String text = "\uD83E\uDD99\uD83E\uDD99"; // two llama emoji, not in the vocabulary
        int[] ids = spm.encode(text, false, false);
        int bytes = 0;
        for (int id : ids) {
            if (spm.tokenType(id) == TokenType.BYTE) {
                bytes++;
            } else {
                assertEquals("▁", spm.tokenText(id));
            }
        }
        assertEquals(8, bytes, "4 UTF-8 bytes per emoji");
        assertEquals(" " + text, spm.decode(ids));
    }
}
