package io.bitnet4j.quant.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MeanStdObserverTest {
    private static final QuantSpec INT8 = new QuantSpec(8, false, true, false);

    /** {mean, population standard deviation}: first the mean, then the squared deviations from it. */
    private static double[] twoPassMeanStd(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (float v : x) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(ss / x.length)};
    }

    @Test
    void runningMeanAndStdMatchATwoPassReferenceOverAllBatches() {
        SplittableRandom rng = new SplittableRandom(41);
        // A large mean next to a small spread is where a naive sum-of-squares loses precision.
        float[][] batches = {QatData.gaussian(rng, 300, 1000, 1), QatData.gaussian(rng, 7, 1000, 2),
                QatData.gaussian(rng, 1200, 1000.5, 0.5), QatData.gaussian(rng, 1, 999, 1)};
        MeanStdObserver obs = new MeanStdObserver(INT8);
        for (float[] b : batches) {
            obs.observe(b);
        }
        double[] ref = twoPassMeanStd(QatData.concat(batches));
        double mean = ref[0];
        double std = ref[1];
        assertEquals(mean, obs.mean(), 1e-9 * Math.abs(mean));
        assertEquals(std, obs.std(), 1e-9 * std);
    }

    @Test
    void rangeIsMeanPlusMinusThreeSigmaWhenTheDataReachesFurther() {
        SplittableRandom rng = new SplittableRandom(42);
        float[] x = QatData.gaussian(rng, 20000, 2, 0.5);
        x[0] = 100; // outliers on both sides, well beyond 3 sigma even of the inflated sigma
        x[1] = -96;
        MeanStdObserver obs = new MeanStdObserver(INT8);
        obs.observe(x);
        double[] ref = twoPassMeanStd(x);
        double mean = ref[0];
        double std = ref[1];
        assertEquals((float) (mean - 3 * std), obs.range().min(), 1e-5);
        assertEquals((float) (mean + 3 * std), obs.range().max(), 1e-5);
    }

    @Test
    void rangeNeverExtendsPastTheObservedData() {
        // Uniform [0, 1): sigma = 0.289, so mean ± 3 sigma = [-0.37, 1.37], wider than the data.
        float[] x = QatData.uniform(new SplittableRandom(43), 5000, 0, 1);
        MeanStdObserver obs = new MeanStdObserver(INT8);
        obs.observe(x);
        assertEquals(new ValueRange(QatData.min(x), QatData.max(x)), obs.range());
        assertThrows(IllegalArgumentException.class, () -> new MeanStdObserver(INT8, 0));
        assertThrows(IllegalArgumentException.class, () -> new MeanStdObserver(INT8, Double.POSITIVE_INFINITY));
    }
}
