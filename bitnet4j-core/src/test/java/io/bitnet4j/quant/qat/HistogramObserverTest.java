package io.bitnet4j.quant.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramObserverTest {

    @Test
    void beatsMinMaxOnHeavyTailedData() {
        SplittableRandom rng = new SplittableRandom(51);
        for (QuantSpec spec : new QuantSpec[] {new QuantSpec(8, false, true, false), new QuantSpec(8, true, true, false),
                new QuantSpec(4, false, false, false), new QuantSpec(4, true, true, true), new QuantSpec(2, false, true, false)}) {
            for (boolean laplace : new boolean[] {true, false}) {
                float[][] batches = new float[2][];
                for (int b = 0; b < 2; b++) {
                    batches[b] = laplace ? QatData.laplace(rng, 10000) : QatData.heavyTailed(rng, 10000);
                }
                double histError = l2Error(new HistogramObserver(spec), batches);
                double minMaxError = l2Error(new MinMaxObserver(spec), batches);
                String what = spec + (laplace ? " Laplace" : " Student-t(2)") + ": histogram " + histError + " vs min/max " + minMaxError;
                // At 8 bits the L2-optimal clip of such tails is close to the data's extremes, so the gain is
                // a few percent; at 4 bits and below clipping pays off several times over.
                assertTrue(histError < (spec.bits() >= 8 ? 1.0 : 0.8) * minMaxError, what);
            }
        }
    }

    @Test
    void comesCloseToABruteForceSearchOverRangesOnTheRealData() {
        SplittableRandom rng = new SplittableRandom(55);
        float[] x = QatData.laplace(rng, 8000);
        for (QuantSpec spec : new QuantSpec[] {new QuantSpec(4, false, true, false), new QuantSpec(3, true, true, false)}) {
            double histError = l2Error(new HistogramObserver(spec), new float[][] {x});
            // Every [f·min, g·max] with f, g on a geometric grid from 1 down to 0.05.
            double best = Double.POSITIVE_INFINITY;
            float min = QatData.min(x);
            float max = QatData.max(x);
            for (double f = 1; f > 0.05; f *= 0.92) {
                for (double g = 1; g > 0.05; g *= 0.92) {
                    best = Math.min(best, QatData.l2Error(x, spec.qparams((float) (f * min), (float) (g * max))));
                }
            }
            assertTrue(histError <= 1.05 * best, spec + ": histogram " + histError + " vs brute force " + best);
        }
    }

    private static double l2Error(Observer obs, float[][] batches) {
        for (float[] b : batches) {
            obs.observe(b);
        }
        return QatData.l2Error(QatData.concat(batches), obs.qparams());
    }

    @Test
    void keepsTheFullRangeOfUniformData() {
        SplittableRandom rng = new SplittableRandom(52);
        for (QuantSpec spec : new QuantSpec[] {new QuantSpec(8, false, true, false), new QuantSpec(8, false, false, false)}) {
            // Two batches over different ranges also exercise widening the histogram.
            float[] a = QatData.uniform(rng, 20000, -1, 2);
            float[] b = QatData.uniform(rng, 20000, -1.5, 3);
            HistogramObserver hist = new HistogramObserver(spec);
            hist.observe(a);
            hist.observe(b);
            float[] all = QatData.concat(a, b);
            float min = QatData.min(all);
            float max = QatData.max(all);
            double tolerance = 0.01 * (max - min);
            ValueRange r = hist.range();
            assertEquals(min, r.min(), tolerance, spec + " " + r);
            assertEquals(max, r.max(), tolerance, spec + " " + r);
        }
    }

    @Test
    void singleRepeatedValueAndOneBinOfData() {
        QuantSpec spec = new QuantSpec(8, false, true, false);
        HistogramObserver hist = new HistogramObserver(spec, 16);
        hist.observe(new float[] {2.5f, 2.5f, 2.5f});
        assertEquals(new ValueRange(2.5f, 2.5f), hist.range());
        hist.observe(new float[] {2.5f, 4f});
        assertEquals(4f, hist.range().max(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new HistogramObserver(spec, 1));
    }

    @Test
    void periodicErrorIntegralMatchesNumericIntegration() {
        SplittableRandom rng = new SplittableRandom(53);
        for (int trial = 0; trial < 200; trial++) {
            double s = rng.nextDouble(0.01, 2);
            double gridLo = rng.nextDouble(-5, 0);
            double gridHi = gridLo + s * rng.nextInt(1, 20);
            double u = rng.nextDouble(-8, 8);
            double v = u + rng.nextDouble(0, 6);
            assertEquals(riemann(u, v, s, gridLo, gridHi), HistogramRangeSearch.integral(u, v, s, gridLo, gridHi),
                    1e-6 * (v - u) * (1 + (v - u) * (v - u)), "trial " + trial);
        }
    }

    /** Midpoint rule for ∫ (x − Q(x))², Q = nearest grid point of gridLo + n·s clamped to [gridLo, gridHi]. */
    private static double riemann(double u, double v, double s, double gridLo, double gridHi) {
        int steps = 200_000;
        double h = (v - u) / steps;
        double sum = 0;
        for (int k = 0; k < steps; k++) {
            double x = u + (k + 0.5) * h;
            double q = gridLo + Math.rint((Math.max(gridLo, Math.min(gridHi, x)) - gridLo) / s) * s;
            sum += (x - q) * (x - q) * h;
        }
        return sum;
    }

    @Test
    void wideningMergesWholeBinsAndKeepsEveryCount() {
        SplittableRandom rng = new SplittableRandom(54);
        GrowingHistogram h = new GrowingHistogram(64);
        float[] a = QatData.uniform(rng, 3000, 0, 1);
        float[] b = QatData.uniform(rng, 3000, -2.2, 3.7);
        float[] c = QatData.uniform(rng, 10, 400, 500);
        h.add(a);
        h.add(b);
        h.add(c);
        double total = 0;
        for (int i = 0; i < h.bins(); i++) {
            total += h.count(i);
        }
        assertEquals(6010, total);
        // Whole-bin merging means the result equals binning every value directly on the final grid.
        double[] direct = new double[h.bins()];
        for (float v : QatData.concat(a, b, c)) {
            direct[Math.max(0, Math.min(h.bins() - 1, (int) Math.floor((v - h.lo()) / h.binWidth())))]++;
        }
        for (int i = 0; i < h.bins(); i++) {
            assertEquals(direct[i], h.count(i), 1.0, "bin " + i); // ±1 for a value exactly on an edge
        }
        assertEquals(QatData.min(b), h.dataMin());
        assertEquals(QatData.max(c), h.dataMax());
    }
}
