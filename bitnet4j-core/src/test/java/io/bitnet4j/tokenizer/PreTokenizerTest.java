package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The regex splits, on examples worked out from the regexes by hand, and the no-text-lost property. */
class PreTokenizerTest {

    @Test
    void llama3Pieces() {
        PreTokenizer p = PreTokenizer.LLAMA3;
        assertEquals(List.of("Hello", " world"), p.split("Hello world"));
        assertEquals(List.of("  ", " Hello"), p.split("   Hello"), "\\s+(?!\\S) leaves the last space to the word");
        assertEquals(List.of("123", "456", "7"), p.split("1234567"), "digits in threes");
        assertEquals(List.of("I", "'M", " fine"), p.split("I'M fine"), "contractions in any case");
        assertEquals(List.of("\n\n\n"), p.split("\n\n\n"));
        assertEquals(List.of("!!!\n"), p.split("!!!\n"), "symbols take the newlines after them");
        assertEquals(List.of(" (", "x", ")"), p.split(" (x)"));
    }

    @Test
    void whitespaceIsUnicodeWhiteSpace() {
        // NBSP is White_Space for llama.cpp's tables: it splits like a space, not like a symbol
        assertEquals(List.of("a", "\u00A0", "\u00A0b"), PreTokenizer.LLAMA3.split("a\u00A0\u00A0b"));
        // GPT-2 allows only U+0020 before a word: the last ideographic space stands alone
        assertEquals(List.of("a", "\u3000", "\u3000", "b"), PreTokenizer.GPT2.split("a\u3000\u3000b"));
    }

    @Test
    void gpt2Pieces() {
        PreTokenizer p = PreTokenizer.GPT2;
        assertEquals(List.of("I", "'m", " here", "'", "S"), p.split("I'm here'S"), "only lower-case contractions");
        assertEquals(List.of("\t", "b"), p.split("\tb"), "text no alternative matches is kept as its own piece");
        assertEquals(List.of(" 1234567"), p.split(" 1234567"), "digits unbounded");
    }

    @Test
    void defaultSplitsPunctuationFirst() {
        assertEquals(List.of("a", "...", "b"), PreTokenizer.DEFAULT.split("a...b"));
    }

    @Test
    void piecesConcatenateToTheInput() {
        String alphabet = "ab Z9٣\n\r\t'.,!?-日本語é\u00A0\u2003";
        SplittableRandom rnd = new SplittableRandom(7);
        for (PreTokenizer p : PreTokenizer.values()) {
            for (int trial = 0; trial < 300; trial++) {
                StringBuilder s = new StringBuilder();
                for (int i = rnd.nextInt(30); i > 0; i--) {
                    s.append(rnd.nextInt(10) == 0 ? "\uD83E\uDD99" : String.valueOf(alphabet.charAt(rnd.nextInt(alphabet.length()))));
                }
                List<String> pieces = p.split(s.toString());
                assertEquals(s.toString(), String.join("", pieces), p + " on [" + s + "]");
                pieces.forEach(piece -> assertFalse(piece.isEmpty(), "empty piece"));
            }
        }
    }

    @Test
    void namesFollowLlamaCpp() {
        assertSame(PreTokenizer.LLAMA3, PreTokenizer.forName("llama-bpe"));
        assertSame(PreTokenizer.LLAMA3, PreTokenizer.forName("llama3"));
        assertSame(PreTokenizer.GPT2, PreTokenizer.forName("gpt-2"));
        assertSame(PreTokenizer.DEFAULT, PreTokenizer.forName("default"));
    }
}
