package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.model.Numerics;
import io.bitnet4j.model.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up beside a big model's load: when it starts, and that its prompt goes through the real engine. */
class JitWarmupTest {
    private static final Path BUNDLED = Path.of("..", DefaultModel.RELATIVE);

    @Test
    void warmsUpOnTheBundledModelBesideABiggerOne(@TempDir Path dir) throws Exception {
        Path big = Files.write(dir.resolve("big.gguf"), new byte[4096]); // only its size is looked at
        for (Numerics n : new Numerics[] {Numerics.FAST, null}) {
            for (int tokens : new int[] {1, JitWarmup.DEFAULT_TOKENS}) {
                Optional<JitWarmup> w = JitWarmup.startBeside(big, SessionOptions.defaults().withNumerics(n),
                        Optional.of(BUNDLED), 1024, "on", Optional.empty(), tokens);
                assertTrue(w.isPresent(), "started");
                w.get().join();
                assertEquals(Optional.empty(), w.get().failure().map(Throwable::toString));
                assertTrue(w.get().done(), "the prompt of " + tokens + " token(s) went through");
            }
        }
    }

    @Test
    void keepsTheBundledModelsLayoutsInTheCacheDirectory(@TempDir Path dir) throws Exception {
        Path big = Files.write(dir.resolve("big.gguf"), new byte[4096]);
        Path cache = dir.resolve("layouts");
        Object first = null;
        for (int round = 0; round < 2; round++) {
            Thread.sleep(20); // a rewrite would get a later modification time
            Optional<JitWarmup> w = JitWarmup.startBeside(big, SessionOptions.defaults(), Optional.of(BUNDLED), 1024, "on",
                    Optional.of(cache), JitWarmup.DEFAULT_TOKENS);
            w.orElseThrow().join();
            assertEquals(Optional.empty(), w.get().failure().map(Throwable::toString));
            assertTrue(w.get().done(), "the prompt went through");
            try (var files = Files.list(cache)) {
                List<Path> luts = files.filter(f -> f.toString().endsWith(".lut")).toList();
                assertEquals(1, luts.size(), "one layout file: " + luts);
                // a write goes to a new file renamed over the old one: the same file, as old, means it was only read
                BasicFileAttributes a = Files.readAttributes(luts.get(0), BasicFileAttributes.class);
                Object key = List.of(String.valueOf(a.fileKey()), a.lastModifiedTime());
                if (first == null) {
                    first = key;
                } else {
                    assertEquals(first, key, "found by the second warm-up, not written again");
                }
            }
        }
    }

    @Test
    void notForSmallModelsTheBundledOneAMissingOneOrWhenOff(@TempDir Path dir) throws Exception {
        Path small = Files.write(dir.resolve("small.gguf"), new byte[100]);
        SessionOptions o = SessionOptions.defaults();
        assertTrue(JitWarmup.startBeside(small, o, Optional.of(BUNDLED), 1024, "on", Optional.empty(), 1).isEmpty(), "below the minimum");
        assertTrue(JitWarmup.startBeside(BUNDLED, o, Optional.of(BUNDLED), 0, "on", Optional.empty(), 1).isEmpty(), "the bundled model itself");
        assertTrue(JitWarmup.startBeside(small, o, Optional.of(dir.resolve("none.gguf")), 0, "on", Optional.empty(), 1).isEmpty(), "no bundled model");
        assertTrue(JitWarmup.startBeside(small, o, Optional.empty(), 0, "on", Optional.empty(), 1).isEmpty(), "no bitnet4j directory");
        assertTrue(JitWarmup.startBeside(small, o, Optional.of(BUNDLED), 0, " OFF ", Optional.empty(), 1).isEmpty(), "turned off");
        assertTrue(JitWarmup.startBeside(dir.resolve("missing.gguf"), o, Optional.of(BUNDLED), 0, "on", Optional.empty(), 1).isEmpty(), "no model file");
    }

    /** A word or two (up to 16 chars) is warmed with one token, a longer first prompt with four; counts out of range fail. */
    @Test
    void theWarmUpPromptTakesTheFirstPromptsShape(@TempDir Path dir) throws Exception {
        assertEquals(1, JitWarmup.tokensFor(""));
        assertEquals(1, JitWarmup.tokensFor("hi"));
        assertEquals(1, JitWarmup.tokensFor("Once upon a time"));
        assertEquals(JitWarmup.DEFAULT_TOKENS, JitWarmup.tokensFor("Once upon a time,"));
        Path big = Files.write(dir.resolve("big.gguf"), new byte[4096]);
        for (int tokens : new int[] {0, 5}) {
            assertThrows(IllegalArgumentException.class, () -> JitWarmup.startBeside(big, SessionOptions.defaults(),
                    Optional.of(BUNDLED), 1024, "on", Optional.empty(), tokens));
        }
    }
}
