package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Numerics#FAST} on the peer fixture models: with whatever kernels {@link MatrixKernels#defaults()}
 * binds (vectorized ones where the Vector API is present), the logits stay close to the exact path's (the
 * scalar kernels with {@link Numerics#LLAMA_CPP}, whose activation forms FAST shares) and every position's
 * argmax agrees, as a batch and one token at a time. Float sums in another order can flip an int8 rounding
 * of a later layer's activations, so "close" is a small fraction of the logit range, not a few ulps.
 */
class FastNumericsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf", "bitnet-silu-tiny/bitnet-silu-tiny-tq1_0.gguf",
            "bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf", "bitnet-i2s-tiny/bitnet-tiny-silu-i2s.gguf",
            "bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf"})
    void fastLogitsAreCloseToTheExactPathWithTheSameArgmax(String model) throws IOException {
        String dir = "models/" + model.substring(0, model.indexOf('/') + 1);
        int[] tokens = intArray(dir + "manifest.json", dir.contains("silu-tiny") ? "sequence_tokens" : "tokens");
        try (GgufFile f = GgufFile.open(Fixtures.require("models/" + model))) {
            Model exact = Model.load(f, MatrixKernels.scalar());
            Model fast = Model.load(f, MatrixKernels.defaults());
            int vocab = exact.config().vocabSize();
            for (boolean batch : new boolean[] {true, false}) {
                float[] expected = logits(exact, Numerics.LLAMA_CPP, tokens, batch);
                float[] got = logits(fast, Numerics.FAST, tokens, batch);
                double diff = Logits.maxAbsDiff(expected, got);
                String what = model + (batch ? " batch" : " one at a time");
                assertTrue(diff <= 1e-2 * Logits.range(expected), what + ": max |Δlogit| " + diff + " of range " + Logits.range(expected));
                assertEquals(0, Logits.argmaxDisagreements(expected, got, vocab), what + ": argmax");
            }
        }
    }

    private static float[] logits(Model m, Numerics numerics, int[] tokens, boolean batch) {
        try (Session s = m.newSession(SessionOptions.defaults().withNumerics(numerics).withThreads(2))) {
            if (batch) {
                return s.forwardAll(tokens);
            }
            int vocab = m.config().vocabSize();
            float[] all = new float[tokens.length * vocab];
            for (int t = 0; t < tokens.length; t++) {
                System.arraycopy(s.forward(tokens[t]), 0, all, t * vocab, vocab);
            }
            return all;
        }
    }

    private static int[] intArray(String json, String key) throws IOException {
        String text = Files.readString(Fixtures.require(json));
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)]").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(json + " has no array '" + key + "'");
        }
        return Arrays.stream(m.group(1).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
