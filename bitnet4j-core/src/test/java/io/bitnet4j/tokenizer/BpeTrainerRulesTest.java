package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BpeTrainer} on small hand-made texts: merge order, stopping, characters, reserved texts, bad arguments. */
class BpeTrainerRulesTest {
    @Test
    void trainingOnTextFullOfReservedTokenTextRoundTrips() {
        String text = "<s> hello </s> <unk> <0x41> <0x0A> ".repeat(50);
        TrainedVocabulary v = BpeTrainer.train(text, 400);
        assertEquals(" " + text, v.tokenizer().decode(v.tokenizer().encode(text, false, false)));
        for (int id : v.tokenizer().encode(text, false, false)) {
            assertTrue(id > 2, "literal text became <unk>/<s>/</s>");
        }
        assertTrue(v.size() > TrainedVocabulary.RESERVED + 10, "pieces were learned: " + v.size());
    }

    @Test
    void learnsTheMostFrequentPairFirst() {
        // Hand-derived: words ▁ab x3, ▁abc x2, ▁c x1. Pairs: ▁a 5, ab 5, bc 2, ▁c 1; tie ▁a / ab goes to the
        // lower left symbol ('a' < '▁' by code point), so "ab" first; then ▁+ab 5 → "▁ab"; then ▁ab+c 2 → "▁abc".
        TrainedVocabulary v = BpeTrainer.train("ab ab ab abc abc c", TrainedVocabulary.RESERVED + 4);
        List<String> pieces = new ArrayList<>();
        for (int id = TrainedVocabulary.RESERVED; id < v.size(); id++) {
            pieces.add(v.tokenizer().tokenText(id));
        }
        assertEquals(List.of("ab", "▁ab", "▁abc", "▁"), pieces);
    }

    @Test
    void stopsWhenNoPairRepeats() {
        TrainedVocabulary v = BpeTrainer.train("abcdef", 1000);
        assertEquals(TrainedVocabulary.RESERVED + 1, v.size(), "only ▁");
    }

    @Test
    void frequentNonAsciiCharactersGetTheirOwnToken() {
        TrainedVocabulary v = BpeTrainer.train("é é é ü", 300);
        assertTrue(v.tokenizer().tokenId("é") >= 0);
        assertEquals(-1, v.tokenizer().tokenId("ü"), "seen once");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("", 512));
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(null, 512));
        var small = assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("abc", BpeTrainer.MIN_VOCAB_SIZE - 1));
        assertTrue(small.getMessage().contains("259"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("abc", BpeTrainer.MAX_VOCAB_SIZE + 1));
        var surrogate = assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("ab\uD800cd", 512));
        assertTrue(surrogate.getMessage().contains("char 2"), surrogate.getMessage());
    }
}
