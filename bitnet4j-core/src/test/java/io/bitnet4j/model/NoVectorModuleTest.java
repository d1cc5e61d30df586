package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bitnet4j.convert.SynthModel;
import io.bitnet4j.convert.SynthPreset;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a JVM started without the {@code jdk.incubator.vector} module (a plain {@code java -jar}): the
 * default kernels fall back to the scalar ones, and nothing on the way (the multiplier, its scratch, the read-ahead
 * tuner) may touch a Vector API class. Run only by the surefire execution {@code no-vector-module} (pom.xml), whose
 * JVM lacks the module; the main execution leaves it out (and skips it if asked for by name).
 */
class NoVectorModuleTest {
    @TempDir
    Path dir;

    @Test
    void aModelRunsOnTheScalarKernelsWithoutTheVectorModule() throws Exception {
        // in the main JVM (a -Dtest=NoVectorModuleTest runs it there too) there is nothing to check
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                "runs in a JVM without the jdk.incubator.vector module only (surefire execution no-vector-module)");
        assertTrue(MatrixKernels.vectorProvider().isEmpty(), "no vector kernels without the module");
        Path file = dir.resolve("tiny.gguf");
        SynthModel.write(SynthPreset.named("tiny"), GgmlType.TQ2_0, 3, Optional.empty(), file, (done, total) -> { }, w -> { });
        int[] prompt = {5, 17, 250, 3};
        try (GgufFile f = GgufFile.open(file)) {
            float[] defaults = logits(Model.load(f, MatrixKernels.defaults()), prompt);
            float[] scalar = logits(Model.load(f, MatrixKernels.scalar()), prompt);
            for (float v : defaults) {
                assertTrue(Float.isFinite(v), "logits are finite");
            }
            assertArrayEquals(scalar, defaults, "the default kernels are the scalar ones here");
        }
    }

    private static float[] logits(Model m, int[] prompt) {
        try (Session s = m.newSession(SessionOptions.defaults().withThreads(2).withContextLength(16))) {
            s.forward(prompt);
            return s.forward(42).clone();
        }
    }
}
