package io.bitnet4j.nn;

import static io.bitnet4j.nn.Rejects.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossScalerTest {

    private static void goodSteps(LossScaler s, int n) {
        for (int i = 0; i < n; i++) {
            s.update(false);
        }
    }

    @Test
    void defaultsArePyTorchsGradScaler() {
        LossScaler.Options o = LossScaler.Options.defaults();
        assertEquals(new LossScaler.Options(65536f, 2f, 0.5f, 2000, 1f), o);
        assertEquals(65536f, new LossScaler().scale());
        assertEquals(3f * 65536f, new LossScaler().scale(3f));
    }

    @Test
    void growsExactlyAtThe2000thConsecutiveGoodStep() {
        LossScaler s = new LossScaler();
        goodSteps(s, 1999);
        assertEquals(65536f, s.scale(), "no growth at step 1999");
        assertEquals(1999, s.goodSteps());
        s.update(false);
        assertEquals(131072f, s.scale(), "growth at step 2000");
        assertEquals(0, s.goodSteps());
        goodSteps(s, 1999);
        assertEquals(131072f, s.scale());
        s.update(false);
        assertEquals(262144f, s.scale());
    }

    @Test
    void overflowBacksOffAndRestartsTheCount() {
        LossScaler s = new LossScaler();
        goodSteps(s, 1500);
        s.update(true);
        assertEquals(32768f, s.scale());
        assertEquals(0, s.goodSteps());
        goodSteps(s, 1999); // 1500 + 1999 good steps in all, but only 1999 since the overflow
        assertEquals(32768f, s.scale());
        s.update(false);
        assertEquals(65536f, s.scale());
    }

    @Test
    void neverFallsBelowTheFloorNorGrowsToInfinity() {
        LossScaler s = new LossScaler(new LossScaler.Options(4f, 2f, 0.5f, 10, 1f));
        s.update(true);
        s.update(true);
        assertEquals(1f, s.scale());
        s.update(true);
        assertEquals(1f, s.scale(), "held at the floor");

        LossScaler top = new LossScaler(new LossScaler.Options(0x1p127f, 2f, 0.5f, 1, 1f));
        top.update(false);
        assertEquals(0x1p127f, top.scale(), "2^128 is not a float: keep the scale");
        assertEquals(0, top.goodSteps());
    }

    @Test
    void stepUnscalesInPlaceAndAppliesOnlyFiniteGradients() {
        SplittableRandom rnd = new SplittableRandom(51);
        LossScaler s = new LossScaler();
        float[] g1 = new float[50];
        float[] g2 = new float[7];
        float[] t1 = new float[g1.length];
        float[] t2 = new float[g2.length];
        for (int i = 0; i < g1.length; i++) {
            t1[i] = (float) rnd.nextDouble(-1e-3, 1e-3);
            g1[i] = t1[i] * 65536f; // exact: a power-of-two scale
        }
        for (int i = 0; i < g2.length; i++) {
            t2[i] = (float) rnd.nextDouble(-1, 1);
            g2[i] = t2[i] * 65536f;
        }
        assertTrue(s.step(g1, g2));
        assertArrayEquals(t1, g1);
        assertArrayEquals(t2, g2);
        assertEquals(1, s.goodSteps());

        float[] bad = {1f, Float.POSITIVE_INFINITY};
        float[] after = {65536f, 131072f};
        assertFalse(s.step(bad, after));
        assertArrayEquals(new float[] {1f, 2f}, after, "arrays after the overflowing one are unscaled too");
        assertEquals(32768f, s.scale());
        assertEquals(0, s.goodSteps());

        assertFalse(s.unscale(new float[] {Float.NaN}));
        assertEquals(32768f, s.scale(), "unscale alone does not update");
    }

    @Test
    void optionsAreValidatedWithClearMessages() {
        rejects("minimum scale is 0.0", () -> new LossScaler.Options(1f, 2f, 0.5f, 1, 0f));
        rejects("initial scale is 0.5; must be finite and at least the minimum scale 1.0", () -> new LossScaler.Options(0.5f, 2f, 0.5f, 1, 1f));
        rejects("initial scale is Infinity", () -> new LossScaler.Options(Float.POSITIVE_INFINITY, 2f, 0.5f, 1, 1f));
        rejects("growth factor is 1.0", () -> new LossScaler.Options(8f, 1f, 0.5f, 1, 1f));
        rejects("growth factor is NaN", () -> new LossScaler.Options(8f, Float.NaN, 0.5f, 1, 1f));
        rejects("backoff factor is 1.0", () -> new LossScaler.Options(8f, 2f, 1f, 1, 1f));
        rejects("backoff factor is 0.0", () -> new LossScaler.Options(8f, 2f, 0f, 1, 1f));
        rejects("growth interval is 0", () -> new LossScaler.Options(8f, 2f, 0.5f, 0, 1f));
        rejects("gradient array 1 is null", () -> new LossScaler().unscale(new float[1], null));
    }
}
