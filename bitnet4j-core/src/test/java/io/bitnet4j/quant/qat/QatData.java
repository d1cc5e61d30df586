package io.bitnet4j.quant.qat;

import io.bitnet4j.quant.Rounding;
import java.util.SplittableRandom;

/** Seeded test data and plain reference computations for the qat tests. */
final class QatData {
    private QatData() {}

    static float[] gaussian(SplittableRandom rng, int n, double mean, double sigma) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + sigma * rng.nextGaussian());
        }
        return x;
    }

    static float[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(lo, hi);
        }
        return x;
    }

    /** Student-t with 2 degrees of freedom: finite mean, infinite variance, a few very large values. */
    static float[] heavyTailed(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double z = rng.nextGaussian();
            double chi2 = square(rng.nextGaussian()) + square(rng.nextGaussian());
            x[i] = (float) (z / Math.sqrt(chi2 / 2));
        }
        return x;
    }

    /** Laplace with scale 1: exponential tails, the usual model of weights and pre-activations. */
    static float[] laplace(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble() - 0.5;
            x[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return x;
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Sum over x of (x − fakeQuantize(x))², written out independently of QParams. */
    static double l2Error(float[] x, QParams p) {
        double sum = 0;
        for (float v : x) {
            double code = Math.rint(v / p.scale()) + p.zeroPoint();
            code = Math.max(p.qmin(), Math.min(p.qmax(), code));
            double back = (code - p.zeroPoint()) * p.scale();
            sum += square(v - back);
        }
        return sum;
    }

    static float min(float[] x) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    static double square(double v) {
        return v * v;
    }

    static final Rounding EVEN = Rounding.HALF_EVEN;
}
