package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Logits and greedy generations against the peers' own outputs in {@code ../shared/fixtures/models}:
 * llama.cpp c392e50 for stories260K and bitnet-silu-tiny, bitnet.cpp for bitnet-i2s-tiny. The BitNet
 * models agree to the last bit in every mode (Java's float arithmetic is exactly specified, so this holds
 * on any machine); stories260K within a few ulps (F32 cache) and one f16 rounding (F16 cache).
 */
class PeerLogitsTest {
    private static final String STORIES = "models/stories260K/";
    private static final String SILU = "models/bitnet-silu-tiny/";
    private static final String I2S = "models/bitnet-i2s-tiny/";

    @ParameterizedTest(name = "{0} cache, {1}")
    @CsvSource({"F32, batch, logits-seq32.f32", "F32, seq, logits-seq32.f32", "F16, batch, logits-seq32.kvf16.f32",
            "F16, seq, logits-seq32.kvf16.f32"})
    void stories260KMatchesLlamaCpp(KvCacheType kv, String mode, String file) throws IOException {
        int[] tokens = intArray(Fixtures.require(STORIES + "logits-seq32.json"), "tokens");
        float[] expected = Fixtures.readF32(Fixtures.require(STORIES + file));
        float[] got = logits(STORIES + "stories260K.gguf", tokens, kv, Numerics.LLAMA_CPP, mode.equals("batch"));
        assertClose(expected, got, 1e-4 * Logits.range(expected), file + " " + mode);
        assertEquals(0, Logits.argmaxDisagreements(expected, got, 512), file + " argmax");
    }

    @Test
    void stories260KGreedyGenerationFromBosMatchesLlamaCpp() throws IOException {
        int[] expected = ids(Fixtures.require(STORIES + "greedy200.ids"));
        assertArrayEquals(expected, greedy(STORIES + "stories260K.gguf", expected.length));
    }

    @ParameterizedTest(name = "{0}, {1} cache")
    @CsvSource({"f32, F32", "f32, F16", "tq2_0, F32", "tq2_0, F16", "tq1_0, F32", "tq1_0, F16"})
    void bitnetSiluTinyMatchesLlamaCppExactly(String type, KvCacheType kv) throws IOException {
        int[] tokens = intArray(Fixtures.require(SILU + "manifest.json"), "sequence_tokens");
        String file = "logits-seq48-" + type + (kv == KvCacheType.F16 ? ".kvf16" : "") + ".f32";
        float[] expected = Fixtures.readF32(Fixtures.require(SILU + file));
        float[] got = logits(SILU + "bitnet-silu-tiny-" + type + ".gguf", tokens, kv, Numerics.LLAMA_CPP, true);
        assertClose(expected, got, 0, file);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"f32", "tq2_0", "tq1_0"})
    void bitnetSiluTinyGreedyGenerationMatchesLlamaCpp(String type) throws IOException {
        int[] expected = ids(Fixtures.require(SILU + "greedy64-" + type + ".ids"));
        assertArrayEquals(expected, greedy(SILU + "bitnet-silu-tiny-" + type + ".gguf", expected.length));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"b158, f32, batch", "b158, f32, seq", "b158, i2s, batch", "b158, i2s, seq",
            "silu, f32, batch", "silu, f32, seq", "silu, i2s, batch", "silu, i2s, seq"})
    void bitnetI2sTinyMatchesBitnetCppExactly(String arch, String type, String mode) throws IOException {
        int[] tokens = intArray(Fixtures.require(I2S + "manifest.json"), "tokens");
        float[] expected = Fixtures.readF32(Fixtures.require(I2S + "logits-" + arch + "-" + type + "-" + mode + ".f32"));
        float[] got = logits(I2S + "bitnet-tiny-" + arch + "-" + type + ".gguf", tokens, KvCacheType.F16, Numerics.BITNET_CPP,
                mode.equals("batch"));
        assertClose(expected, got, 0, arch + " " + type + " " + mode);
    }

    /** All logits, as one batch or one token at a time, on 2 threads. */
    private static float[] logits(String model, int[] tokens, KvCacheType kv, Numerics numerics, boolean batch) throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require(model));
                Session s = Model.load(f).newSession(SessionOptions.defaults().withKvCacheType(kv).withNumerics(numerics).withThreads(2))) {
            if (batch) {
                return s.forwardAll(tokens);
            }
            int vocab = s.config().vocabSize();
            float[] all = new float[tokens.length * vocab];
            for (int t = 0; t < tokens.length; t++) {
                System.arraycopy(s.forward(tokens[t]), 0, all, t * vocab, vocab);
            }
            return all;
        }
    }

    /** {@code n} argmax tokens from BOS (id 1), one token per step, llama.cpp's default F16 cache. */
    private static int[] greedy(String model, int n) throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require(model)); Session s = Model.load(f).newSession(SessionOptions.defaults().withThreads(2))) {
            int[] out = new int[n];
            int token = 1;
            for (int i = 0; i < n; i++) {
                float[] logits = s.forward(token);
                token = Logits.argmax(logits, 0, logits.length);
                out[i] = token;
            }
            return out;
        }
    }

    private static void assertClose(float[] expected, float[] got, double bound, String what) {
        double diff = Logits.maxAbsDiff(expected, got);
        assertTrue(diff <= bound, what + ": max |Δlogit| " + diff + " > " + bound);
    }

    private static int[] ids(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    /** The integer array under {@code "key": [...]} in a JSON file (the fixtures' manifests keep them flat). */
    private static int[] intArray(Path json, String key) throws IOException {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)]").matcher(Files.readString(json));
        if (!m.find()) {
            throw new IllegalStateException(json + " has no array '" + key + "'");
        }
        return Arrays.stream(m.group(1).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
