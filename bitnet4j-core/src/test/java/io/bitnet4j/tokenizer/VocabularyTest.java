package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vocabulary's own hash table against a {@link HashMap} of the same texts (later id wins, as in llama.cpp). */
class VocabularyTest {
    /** Random short texts over a small alphabet (so that many repeat, share prefixes and collide), some empty. */
    private static List<String> randomTexts(Random random, int n) {
        String alphabet = "abĠc\u0120é▁<|>";
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = random.nextInt(6);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < length; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(b.toString());
        }
        return texts;
    }

    @Test
    void lookupsAgreeWithAHashMapOfTheTexts() {
        Random random = new Random(7);
        List<String> texts = randomTexts(random, 20_000);
        Vocabulary vocab = new Vocabulary(texts, null, null);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            expected.put(texts.get(i).isEmpty() ? "[EMPTY_" + i + "]" : texts.get(i), i);
        }
        for (String text : expected.keySet()) {
            assertEquals(expected.get(text), vocab.id(text), text);
        }
        for (String absent : randomTexts(new Random(8), 2_000)) {
            assertEquals(expected.getOrDefault(absent, -1), vocab.id(absent), absent);
        }
        assertEquals(-1, vocab.id(""));
    }

    @Test
    void aTinyVocabularyStillHasRoom() {
        Vocabulary vocab = new Vocabulary(List.of("x"), null, null);
        assertEquals(0, vocab.id("x"));
        assertEquals(-1, vocab.id("y"));
    }
}
