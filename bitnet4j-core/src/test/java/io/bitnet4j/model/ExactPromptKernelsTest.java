package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.convert.SynthModel;
import io.bitnet4j.convert.SynthPreset;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Under a peer's numerics a long prompt gives the scalar kernels' logits to the bit with the vector kernels: the
 * ternary products of many tokens (TQ2_0's pair tables), the F16 head four tokens at a time, and attention over
 * transposed keys in the peer's order (tinyBLAS for llama.cpp, ggml_vec_dot for bitnet.cpp). The scalar kernels are
 * the reference the peers' logits are checked against (PeerLogitsTest).
 */
class ExactPromptKernelsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1}, {2} tokens")
    @CsvSource({"TQ2_0, LLAMA_CPP, 200", "TQ2_0, LLAMA_CPP, 40", "TQ1_0, LLAMA_CPP, 150", "I2_S, BITNET_CPP, 200"})
    void aLongPromptGivesTheScalarKernelsLogits(GgmlType type, Numerics numerics, int tokens) throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SynthModel.write(SynthPreset.named("tiny"), type, 7, Optional.empty(), file, (done, total) -> { }, w -> { });
        SplittableRandom r = new SplittableRandom(8);
        int[] prompt = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            prompt[i] = r.nextInt(1000);
        }
        try (GgufFile f = GgufFile.open(file)) {
            float[] vector = logits(Model.load(f, MatrixKernels.defaults()), numerics, prompt);
            float[] scalar;
            String before = System.getProperty(MatrixKernels.PROPERTY);
            System.setProperty(MatrixKernels.PROPERTY, "scalar"); // attention's rows too: they are chosen per session
            try {
                scalar = logits(Model.load(f, MatrixKernels.scalar()), numerics, prompt);
            } finally {
                if (before == null) {
                    System.clearProperty(MatrixKernels.PROPERTY);
                } else {
                    System.setProperty(MatrixKernels.PROPERTY, before);
                }
            }
            for (float v : scalar) {
                assertTrue(Float.isFinite(v), "finite logits");
            }
            assertArrayEquals(scalar, vector);
        }
    }

    private static float[] logits(Model m, Numerics numerics, int[] prompt) {
        SessionOptions o = SessionOptions.defaults().withNumerics(numerics).withKvCacheType(KvCacheType.F16).withThreads(2)
                .withContextLength(256);
        try (Session s = m.newSession(o)) {
            return s.forwardAll(prompt).clone();
        }
    }
}
