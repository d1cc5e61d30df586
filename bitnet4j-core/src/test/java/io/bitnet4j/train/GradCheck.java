package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Central finite differences in float: {@code (L(x+h) − L(x−h)) / 2h} against an analytic gradient. */
final class GradCheck {
    private GradCheck() {}

    /** Random values {@code N(0, std²)}. */
    static float[] gaussian(SplittableRandom r, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * std);
        }
        return x;
    }

    /** {@code Σ w·y} in double: a scalar loss whose gradient with respect to {@code y} is {@code w}. */
    static double dot(float[] w, float[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) w[i] * y[i];
        }
        return s;
    }

    /** Checks every element of {@code analytic} (the gradient of {@code loss} at {@code x}), perturbing {@code x} in place. */
    static void check(String what, float[] x, float[] analytic, ToDoubleFunction<float[]> loss) {
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            float h = 2e-3f * Math.max(1f, Math.abs(saved));
            x[i] = saved + h;
            double up = loss.applyAsDouble(x);
            x[i] = saved - h;
            double down = loss.applyAsDouble(x);
            x[i] = saved;
            double numeric = (up - down) / ((double) (saved + h) - (double) (saved - h));
            assertEquals(numeric, analytic[i], 1e-3 + 1e-2 * Math.abs(numeric), what + " element " + i);
        }
    }
}
