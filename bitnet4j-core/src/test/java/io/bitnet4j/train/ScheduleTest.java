package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.kernel.WorkerPool;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules, AdamW's update (hand-derived) and gradient clipping. */
class ScheduleTest {
    @Test
    void cosineWarmsUpThenDecaysToTheFloor() {
        Schedule s = new Schedule(Schedule.Kind.COSINE, 1f, 0.1f, 10, 110, 0.05f);
        assertEquals(0.1f, s.lr(0), 1e-7);
        assertEquals(1f, s.lr(9), 1e-7);
        assertEquals(1f, s.lr(10), 1e-7);
        assertEquals(0.55f, s.lr(60), 1e-6); // half-way down the cosine: (1 + 0.1)/2
        assertEquals(0.1f, s.lr(110), 1e-7);
        for (long t = 10; t < 110; t++) {
            assertTrue(s.lr(t + 1) <= s.lr(t));
        }
        assertEquals(0.05f, s.weightDecay(100));
    }

    @Test
    void twoStageDropsLearningRateAndWeightDecayInTheSecondHalf() {
        Schedule s = new Schedule(Schedule.Kind.TWO_STAGE, 1f, 0.1f, 0, 100, 0.1f);
        assertEquals(1f, s.lr(0), 1e-6);
        assertEquals(0.1f, s.weightDecay(0), 1e-7);
        assertTrue(s.lr(49) > 0.5f);
        assertEquals(0.4f, s.lr(50), 1e-6); // the drop
        assertEquals(0f, s.weightDecay(50));
        assertEquals(0f, s.weightDecay(99));
        assertTrue(s.lr(99) < 0.11f);
    }

    @Test
    void badSchedulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Schedule(Schedule.Kind.COSINE, Float.NaN, 0.1f, 0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(Schedule.Kind.COSINE, 1f, 0.1f, 0, 0, 0));
    }

    @Test
    void adamWFirstStepMovesEachWeightByTheLearningRate() {
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + eps) ≈ lr·sign(g); decay multiplies by (1 − lr·wd) first.
        ParamLayout layout = new ParamLayout(new ModelShape(2, 2, 1, 1, 1, 2, 2, 10000f, 1e-5f, GateActivation.SILU));
        AdamW adam = new AdamW(layout, 0.9f, 0.95f, 1e-8f);
        float[] p = new float[layout.size()];
        java.util.Arrays.fill(p, 2f);
        float[] g = new float[layout.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = i % 2 == 0 ? 0.5f : -3f;
        }
        try (WorkerPool pool = new WorkerPool(1)) {
            adam.step(p, g, 1, 0.1f, 0.5f, pool);
        }
        ParamLayout.Slot norm = layout.outputNorm();
        ParamLayout.Slot emb = layout.embedding();
        assertEquals(2f * (1 - 0.05f) - 0.1f, p[emb.offset()], 1e-5); // g > 0, decayed
        assertEquals(2f * (1 - 0.05f) + 0.1f, p[emb.offset() + 1], 1e-5); // g < 0
        int n = norm.offset();
        assertEquals(2f - (n % 2 == 0 ? 0.1f : -0.1f), p[n], 1e-5); // norms are not decayed
    }

    @Test
    void clippingScalesToTheMaxNorm() {
        float[] g = {3, 4};
        assertEquals(5, AdamW.clipGlobalNorm(g, 1), 1e-12);
        assertEquals(0.6f, g[0], 1e-6);
        assertEquals(0.8f, g[1], 1e-6);
        float[] small = {0.3f, 0.4f};
        AdamW.clipGlobalNorm(small, 1);
        assertEquals(0.3f, small[0]);
        assertThrows(IllegalStateException.class, () -> AdamW.clipGlobalNorm(new float[] {Float.NaN}, 1));
    }
}
