package io.bitnet4j.nn;

import java.util.SplittableRandom;

/**
 * The tests' own scalar int8 reference, written plainly from the definition (not by calling the code
 * under test): symmetric absmax scales, round half away from zero, clamp to ±127, sums in double.
 */
final class Int8Reference {
    private Int8Reference() {}

    static float[] uniform(SplittableRandom rnd, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(lo, hi);
        }
        return a;
    }

    /** max|a[from..to)| / 127, in float as the definition says. */
    static float absmaxScale(float[] a, int from, int to) {
        float max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(a[i]));
        }
        return max / 127f;
    }

    /** clamp(round_half_away(v / s), -127, 127); 0 for a zero scale. */
    static int code(float v, float s) {
        if (s == 0) {
            return 0;
        }
        double q = v / s;
        double r = Math.signum(q) * Math.floor(Math.abs(q) + 0.5);
        return (int) Math.max(-127, Math.min(127, r));
    }

    /** The scale of each weight row (per output channel). */
    static float[] rowScales(float[] a, int rows, int n) {
        float[] s = new float[rows];
        for (int r = 0; r < rows; r++) {
            s[r] = absmaxScale(a, r * n, (r + 1) * n);
        }
        return s;
    }

    /** {@code Σ x̂·ŵ + b} in double, with {@code x̂ = code(x, s_x[row])·s_x[row]} and {@code ŵ = code(w, s_w[o])·s_w[o]}. */
    static double[] fakeQuantLinear(float[] x, float[] xRowScales, float[] w, float[] wScales, float[] b, int out, int in) {
        return linear(fakeQuant(x, xRowScales, in), fakeQuant(w, wScales, in), b, out, in);
    }

    /** The unquantized {@code Σ x·w + b} in double. */
    static double[] floatLinear(float[] x, float[] w, float[] b, int out, int in) {
        return linear(toDouble(x), toDouble(w), b, out, in);
    }

    /** {@code code(a, s[row])·s[row]} for rows of length {@code n}. */
    private static double[] fakeQuant(float[] a, float[] rowScales, int n) {
        double[] q = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            float s = rowScales[i / n];
            q[i] = (double) code(a[i], s) * s;
        }
        return q;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] linear(double[] x, double[] w, float[] b, int out, int in) {
        int rows = x.length / in;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    sum += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = sum;
            }
        }
        return y;
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
