package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.kernel.WorkerPool;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole model's analytic gradient against central differences of its loss, in float with a small model. */
class TransformerGradientTest {
    static final ModelShape TINY = new ModelShape(11, 8, 2, 2, 1, 12, 6, 10000f, 1e-5f, GateActivation.SILU);

    @ParameterizedTest
    @EnumSource(GateActivation.class)
    void gradientMatchesFiniteDifferences(GateActivation act) {
        ModelShape shape = new ModelShape(11, 8, 2, 2, 1, 12, 6, 10000f, 1e-5f, act);
        ParamLayout layout = new ParamLayout(shape);
        float[] params = ParamInit.initialize(layout, 7);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) (0.3 * r.nextGaussian()); // norms away from 1, so their gradients are exercised generally
        }
        int seqs = 2, len = 5;
        int[] tokens = new int[seqs * len];
        int[] targets = new int[seqs * len];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(shape.vocab());
            targets[i] = r.nextInt(shape.vocab());
        }
        try (WorkerPool pool = new WorkerPool(2)) {
            Transformer t = new Transformer(layout, seqs, len);
            float[] grads = new float[layout.size()];
            t.loss(params, tokens, targets, Quantization.OFF, true, pool);
            t.backward(grads, pool);
            int checked = 0;
            for (int i = 0; i < params.length; i += 7) {
                float saved = params[i];
                float h = 4e-3f * Math.max(1f, Math.abs(saved));
                params[i] = saved + h;
                double up = t.loss(params, tokens, targets, Quantization.OFF, false, pool);
                params[i] = saved - h;
                double down = t.loss(params, tokens, targets, Quantization.OFF, false, pool);
                params[i] = saved;
                double numeric = (up - down) / ((double) (saved + h) - (saved - h));
                assertEquals(numeric, grads[i], 2e-3 + 2e-2 * Math.abs(numeric), "parameter " + i);
                checked++;
            }
            assertTrue(checked > 100);
        }
    }
}
