package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.model.Numerics;
import io.bitnet4j.model.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
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
            Optional<JitWarmup> w = JitWarmup.startBeside(big, SessionOptions.defaults().withNumerics(n),
                    Optional.of(BUNDLED), 1024, "on");
            assertTrue(w.isPresent(), "started");
            w.get().join();
            assertEquals(Optional.empty(), w.get().failure().map(Throwable::toString));
            assertTrue(w.get().done(), "the prompt went through");
        }
    }

    @Test
    void notForSmallModelsTheBundledOneAMissingOneOrWhenOff(@TempDir Path dir) throws Exception {
        Path small = Files.write(dir.resolve("small.gguf"), new byte[100]);
        SessionOptions o = SessionOptions.defaults();
        assertTrue(JitWarmup.startBeside(small, o, Optional.of(BUNDLED), 1024, "on").isEmpty(), "below the minimum");
        assertTrue(JitWarmup.startBeside(BUNDLED, o, Optional.of(BUNDLED), 0, "on").isEmpty(), "the bundled model itself");
        assertTrue(JitWarmup.startBeside(small, o, Optional.of(dir.resolve("none.gguf")), 0, "on").isEmpty(), "no bundled model");
        assertTrue(JitWarmup.startBeside(small, o, Optional.empty(), 0, "on").isEmpty(), "no bitnet4j directory");
        assertTrue(JitWarmup.startBeside(small, o, Optional.of(BUNDLED), 0, " OFF ").isEmpty(), "turned off");
        assertTrue(JitWarmup.startBeside(dir.resolve("missing.gguf"), o, Optional.of(BUNDLED), 0, "on").isEmpty(), "no model file");
    }
}
