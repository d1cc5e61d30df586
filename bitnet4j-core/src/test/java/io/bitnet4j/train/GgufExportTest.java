package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.WorkerPool;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.Numerics;
import io.bitnet4j.model.Session;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.tokenizer.BpeTrainer;
import io.bitnet4j.tokenizer.TrainedVocabulary;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exported GGUF runs in the engine with the trainer's own logits.
 *
 * <p>Tolerance: the arithmetic is not the same. The engine (llama.cpp numerics) quantizes activations per 256-block
 * as Q8_K for TQ1_0/TQ2_0 (bitnet.cpp numerics: per token, like training, for I2_S), stores γ and the embedding in
 * fp16 (relative error ≤ 2⁻¹¹), computes RoPE angles and softmax its own way, and an int8 code sitting on a rounding
 * half can flip by one. Each of these moves a logit by about 10⁻³ of the logits' spread; across 2 layers they add up to a
 * few 10⁻³. So the test asks for a max difference below 3% of the logits' range a correlation above 0.999, and the
 * same arg-max wherever the top logit leads by more than twice the largest difference seen.
 */
class GgufExportTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"TQ2_0", "TQ1_0", "I2_S"})
    void engineLogitsMatchTheTrainersForwardPass(GgmlType type) throws Exception {
        TrainedVocabulary vocab = BpeTrainer.train("the quick brown fox jumps over the lazy dog. ".repeat(20), 300);
        ModelShape shape = new ModelShape(vocab.size(), 256, 2, 4, 2, 512, 32, 10000f, 1e-5f, GateActivation.SILU);
        ParamLayout layout = new ParamLayout(shape);
        float[] params = ParamInit.initialize(layout, 11);
        SplittableRandom r = new SplittableRandom(5);
        for (ParamLayout.Slot s : layout.slots()) {
            if (s.kind() == ParamLayout.Kind.NORM) { // gains away from 1, so a mix-up of norms would show
                for (int i = s.offset(); i < s.offset() + s.size(); i++) {
                    params[i] = (float) (0.5 + r.nextDouble());
                }
            }
        }
        Path file = dir.resolve("m.gguf");
        GgufExport.write(layout, params, true, type, vocab.ggufMetadata(), "test", file);
        int n = 24;
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = r.nextInt(shape.vocab());
        }
        float[] expected;
        try (WorkerPool pool = new WorkerPool(1)) {
            expected = new Transformer(layout, 1, n).logits(params, tokens, Quantization.FULL, pool);
        }
        float[] actual;
        try (GgufFile f = GgufFile.open(file)) {
            Model model = Model.load(f);
            Numerics numerics = type == GgmlType.I2_S ? Numerics.BITNET_CPP : Numerics.LLAMA_CPP;
            try (Session session = model.newSession(SessionOptions.defaults().withContextLength(32).withThreads(1).withNumerics(numerics))) {
                actual = session.forwardAll(tokens);
            }
        }
        assertEquals(expected.length, actual.length);
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            min = Math.min(min, expected[i]);
            max = Math.max(max, expected[i]);
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        double range = max - min;
        assertTrue(maxDiff < 0.03 * range, "max |Δlogit| " + maxDiff + " vs range " + range);
        int decided = 0;
        for (int t = 0; t < n; t++) {
            int best = argmax(expected, t, shape.vocab());
            if (margin(expected, t, shape.vocab(), best) > 2 * maxDiff) { // no difference of that size can reorder these
                decided++;
                assertEquals(best, argmax(actual, t, shape.vocab()), "arg-max at position " + t);
            }
        }
        assertTrue(decided > 0, "no position had a clear arg-max");
        assertTrue(correlation(expected, actual) > 0.999, "correlation " + correlation(expected, actual));
    }

    private static int argmax(float[] x, int row, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[row * n + i] > x[row * n + best]) {
                best = i;
            }
        }
        return best;
    }

    /** How far the top logit of row {@code row} leads the runner-up. */
    private static double margin(float[] x, int row, int n, int best) {
        float second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (i != best) {
                second = Math.max(second, x[row * n + i]);
            }
        }
        return x[row * n + best] - second;
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
