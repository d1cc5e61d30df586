package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Session#forwardLast} (logits of a suffix only) and {@link Session#rewind} (keeping a prefix of the cache). */
class SessionWindowTest {
    @TempDir
    Path dir;

    @Test
    void forwardLastGivesTheLastRowsOfForwardAll() throws IOException {
        TinyModel m = TinyModel.random("bitnet", 4, 2, 8, null, false, 41);
        int[] tokens = new SplittableRandom(5).ints(13, 0, m.vocab()).toArray();
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            SessionOptions o = SessionOptions.defaults().withKvCacheType(KvCacheType.F32).withBatchSize(5).withThreads(2);
            float[] all;
            try (Session s = Model.load(f).newSession(o)) {
                all = s.forwardAll(tokens);
            }
            for (int count : new int[] {1, 2, 7, 13}) {
                try (Session s = Model.load(f).newSession(o)) {
                    float[] last = s.forwardLast(tokens, count);
                    assertEquals(13, s.position());
                    float[] expected = Arrays.copyOfRange(all, (13 - count) * m.vocab(), all.length);
                    // a batch with one wanted row sums its last layer as a single token does, so allow rounding
                    assertTrue(Logits.maxAbsDiff(expected, last) <= 1e-5 * Logits.range(expected), "last " + count);
                }
            }
            try (Session s = Model.load(f).newSession(o)) {
                assertThrows(IllegalArgumentException.class, () -> s.forwardLast(tokens, 0));
                assertThrows(IllegalArgumentException.class, () -> s.forwardLast(tokens, 14));
                assertEquals(0, s.position());
            }
        }
    }

    @Test
    void rewindKeepsThePrefixAndForgetsTheRest() throws IOException {
        TinyModel m = TinyModel.random("llama", 4, 2, 8, null, false, 42);
        SplittableRandom r = new SplittableRandom(6);
        int[] prefix = r.ints(6, 0, m.vocab()).toArray();
        int[] discarded = r.ints(5, 0, m.vocab()).toArray();
        int[] continuation = r.ints(4, 0, m.vocab()).toArray();
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            Model model = Model.load(f);
            SessionOptions o = SessionOptions.defaults().withThreads(2);
            float[] fresh;
            try (Session s = model.newSession(o)) {
                s.forward(prefix);
                fresh = s.forwardAll(continuation);
            }
            try (Session s = model.newSession(o)) {
                s.forward(prefix);
                s.forward(discarded);
                s.rewind(prefix.length);
                assertEquals(prefix.length, s.position());
                assertArrayEquals(fresh, s.forwardAll(continuation));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.rewind(11));
                assertTrue(e.getMessage().contains("holds 10"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> s.rewind(-1));
            }
        }
    }
}
