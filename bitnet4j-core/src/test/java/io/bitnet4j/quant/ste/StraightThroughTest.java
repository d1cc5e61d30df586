package io.bitnet4j.quant.ste;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StraightThroughTest {
    /** A hand-written quantizer: nearest multiple of 0.5, saturating at ±2 (codes −4..4, scale 0.5). */
    private static final FakeQuantizer HALVES = x -> {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(-2f, Math.min(2f, Math.round(x[i] * 2) / 2f));
        }
        return y;
    };

    private static float[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(lo, hi);
        }
        return x;
    }

    @Test
    void forwardIsTheQuantizedValue() {
        float[] x = {-3f, -0.7f, 0.2f, 0.8f, 1.9f};
        assertArrayEquals(new float[] {-2f, -0.5f, 0f, 1f, 2f}, StraightThrough.forward(x, HALVES));
        assertArrayEquals(new float[] {-3f, -0.7f, 0.2f, 0.8f, 1.9f}, x, "input untouched");
    }

    @Test
    void identityPassesTheGradientUnchangedEvenWhereTheQuantizerSaturates() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = uniform(rng, 500, -10, 10); // most of it beyond ±2
        float[] g = uniform(rng, 500, -1, 1);
        assertArrayEquals(g, StraightThrough.backward(SteMode.IDENTITY, x, g, null));
        assertArrayEquals(g, StraightThrough.identity(g));
    }

    @Test
    void clippedZeroesTheGradientOutsideTheRangeAndKeepsItInside() {
        SplittableRandom rng = new SplittableRandom(2);
        ClipRange range = ClipRange.ofSymmetric(0.1f, -128, 127); // [-12.8, 12.7]
        float[] x = uniform(rng, 2000, -20, 20);
        x[0] = range.lo();
        x[1] = range.hi();
        x[2] = Math.nextUp(range.hi());
        x[3] = Math.nextDown(range.lo());
        float[] g = uniform(rng, 2000, -1, 1);
        float[] dx = StraightThrough.backward(SteMode.CLIPPED, x, g, range);
        int passed = 0;
        for (int i = 0; i < x.length; i++) {
            boolean inside = x[i] >= -12.8f && x[i] <= 12.7f;
            assertEquals(inside ? g[i] : 0f, dx[i], "element " + i + " x=" + x[i]);
            passed += inside ? 1 : 0;
        }
        assertEquals(g[0], dx[0], "lower bound is inside");
        assertEquals(g[1], dx[1], "upper bound is inside");
        assertEquals(0f, dx[2]);
        assertEquals(0f, dx[3]);
        assertTrue(passed > 500 && passed < 1800, "both branches exercised: " + passed);
    }

    @Test
    void clippedUsesEachElementsOwnRange() {
        ClipRange narrow = new ClipRange(-1, 1);
        ClipRange wide = new ClipRange(-10, 10);
        float[] x = {5, 5, -0.5f, -0.5f};
        float[] g = {1, 2, 3, 4};
        ClipRanges perElement = i -> i % 2 == 0 ? narrow : wide;
        assertArrayEquals(new float[] {0, 2, 3, 4}, StraightThrough.clipped(x, g, perElement));
    }

    @Test
    void affineRangeIsShiftedByTheZeroPoint() {
        // codes 0..255, zero point 10, scale 0.5: (0-10)*0.5 = -5, (255-10)*0.5 = 122.5
        ClipRange r = ClipRange.ofAffine(0.5f, 10, 0, 255);
        assertEquals(-5f, r.lo());
        assertEquals(122.5f, r.hi());
        assertTrue(r.contains(-5f) && r.contains(122.5f));
        assertFalse(r.contains(Float.NaN));
    }

    @Test
    void rejectsBadInputsWithClearMessages() {
        float[] x = {1, 2};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StraightThrough.clipped(x, new float[3], new ClipRange(0, 1)))
                .getMessage().contains("3 elements"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> StraightThrough.clipped(new float[] {1, Float.NaN}, new float[2], new ClipRange(0, 1))).getMessage().contains("index 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StraightThrough.identity(new float[0])).getMessage().contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> StraightThrough.clipped(x, new float[2], null));
        assertThrows(IllegalArgumentException.class, () -> StraightThrough.backward(null, x, new float[2], null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StraightThrough.forward(x, v -> new float[1]))
                .getMessage().contains("1 elements"));
        assertThrows(IllegalArgumentException.class, () -> StraightThrough.forward(x, v -> new float[] {0, Float.NaN}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClipRange(2, 1)).getMessage().contains("lo > hi"));
        assertThrows(IllegalArgumentException.class, () -> new ClipRange(Float.NaN, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClipRange.ofAffine(0f, 0, -1, 1)).getMessage().contains("scale"));
    }
}
