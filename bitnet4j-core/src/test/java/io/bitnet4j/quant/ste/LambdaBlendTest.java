package io.bitnet4j.quant.ste;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LambdaBlendTest {
    private final SplittableRandom rng = new SplittableRandom(3);

    private float[] gaussian(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextGaussian() * 2);
        }
        return x;
    }

    /** Ternary with scale 1 as a stand-in quantizer: round and clamp to {-1, 0, 1}. */
    private static float[] ternary(float[] x) {
        float[] q = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            q[i] = Math.max(-1, Math.min(1, Math.round(x[i])));
        }
        return q;
    }

    @Test
    void endpointsAreExactAndTheMiddleInterpolates() {
        float[] x = gaussian(300);
        float[] q = ternary(x);
        assertArrayEquals(x, LambdaBlend.forward(x, q, 0));
        assertArrayEquals(q, LambdaBlend.forward(x, q, 1));
        float[] y = LambdaBlend.forward(x, q, 0.3);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + 0.3 * (q[i] - x[i]), y[i], 1e-6, "element " + i);
        }
    }

    @Test
    void backwardMixesTheUpstreamAndStraightThroughGradients() {
        float[] x = gaussian(300);
        float[] g = gaussian(300);
        // Identity STE: the blend's gradient is the upstream gradient for every lambda.
        assertArrayEquals(g, LambdaBlend.backward(g, StraightThrough.identity(g), 0.37), 1e-6f);
        // Clipped STE on [-1.5, 1.5]: outside, only the (1 - lambda) share of the x term remains.
        ClipRange range = new ClipRange(-1.5f, 1.5f);
        float[] dx = LambdaBlend.backward(g, StraightThrough.clipped(x, g, range), 0.25);
        for (int i = 0; i < x.length; i++) {
            double expected = Math.abs(x[i]) <= 1.5 ? g[i] : 0.75 * g[i];
            assertEquals(expected, dx[i], 1e-6, "element " + i);
        }
    }

    @Test
    void rejectsBadArguments() {
        float[] x = {1, 2};
        assertThrows(IllegalArgumentException.class, () -> LambdaBlend.forward(x, x, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LambdaBlend.forward(x, x, 1.01));
        assertThrows(IllegalArgumentException.class, () -> LambdaBlend.backward(x, x, -0.1));
        assertThrows(IllegalArgumentException.class, () -> LambdaBlend.forward(x, new float[3], 0.5));
        assertThrows(IllegalArgumentException.class, () -> LambdaBlend.forward(new float[0], new float[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> LambdaBlend.backward(x, new float[] {0, Float.POSITIVE_INFINITY}, 0.5));
    }
}
