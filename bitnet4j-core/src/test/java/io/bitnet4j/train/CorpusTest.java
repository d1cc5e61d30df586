package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation part is cut off at a line break and nothing of it reaches the tokenizer's training. */
class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void splitIsAtALineBreakAndLosesNothing() {
        String text = "first line\nsecond line\nthird line\nfourth line\n";
        String[] parts = TokenData.splitText(text, 0.3);
        assertEquals(text, parts[0] + parts[1]);
        assertTrue(parts[0].endsWith("\n"));
        assertEquals("fourth line\n", parts[1]);
        assertThrows(IllegalArgumentException.class, () -> TokenData.splitText(text, 1.0));
        assertThrows(IllegalArgumentException.class, () -> TokenData.splitText("no break at all", 0.1));
    }

    @Test
    void consecutiveStepsDrawDifferentWindows() {
        int[] train = new int[100_000];
        for (int i = 0; i < train.length; i++) {
            train[i] = i; // a token is its position, so a window tells where it starts
        }
        TokenData d = new TokenData(train, new int[] {0, 1});
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        int[] x = new int[8 * 16];
        int[] y = new int[8 * 16];
        for (long step = 0; step < 100; step++) {
            d.trainBatch(1, step, 8, 16, x, y);
            for (int b = 0; b < 8; b++) {
                starts.add(x[b * 16]);
                assertEquals(x[b * 16] + 1, y[b * 16]);
            }
        }
        assertTrue(starts.size() > 790, starts.size() + " distinct windows in 800 draws"); // ~3 repeats expected by chance
    }

    @Test
    void theVocabularyIsTrainedOnTheTrainingPartOnly() throws Exception {
        String train = "the cat sat on the mat and the dog sat on the log\n".repeat(40);
        String validation = "zyxwvuts zyxwvuts zyxwvuts\n".repeat(10); // frequent, but only in the validation part
        Corpus c = Corpus.build(train + validation, 400, (double) validation.length() / (train.length() + validation.length()));
        assertEquals(validation, c.validationText());
        for (int id = 0; id < c.vocabulary().size(); id++) {
            assertFalse(c.vocabulary().tokenizer().tokenText(id).contains("zyx"), "token " + id + " was learned from the validation part");
        }
        assertTrue(c.data().validationTokens() > 0);
        Path file = dir.resolve("tok.gguf");
        Corpus.saveVocabulary(c.vocabulary(), file);
        assertEquals(c.vocabulary().ggufMetadata(), Corpus.loadVocabulary(file).ggufMetadata());
    }
}
