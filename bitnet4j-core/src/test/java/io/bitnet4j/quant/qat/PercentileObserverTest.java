package io.bitnet4j.quant.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PercentileObserverTest {
    private static final QuantSpec INT8 = new QuantSpec(8, false, true, false);

    /** 199 standard normals and one value of 1e6 at a random position. */
    private static float[] withOutlier(SplittableRandom rng) {
        float[] x = QatData.gaussian(rng, 200, 0, 1);
        x[rng.nextInt(200)] = 1e6f;
        return x;
    }

    @Test
    void clipsASingleHugeOutlierInTwoHundredValues() {
        float[] x = withOutlier(new SplittableRandom(31));
        PercentileObserver obs = new PercentileObserver(INT8);
        obs.observe(x);
        float[] sorted = x.clone();
        Arrays.sort(sorted);
        // Inward ranks: ceil(0.0001 * 199) = 1 and floor(0.9999 * 199) = 198.
        assertEquals(new ValueRange(sorted[1], sorted[198]), obs.range());
        assertTrue(obs.range().max() < 10, "outlier not clipped: " + obs.range());
        assertTrue(obs.qparams().scale() < 0.1f, "scale still stretched by the outlier: " + obs.qparams());
    }

    @Test
    void percentilesAreTakenOverAllBatchesNotPerBatch() {
        SplittableRandom rng = new SplittableRandom(32);
        float[] x = withOutlier(rng);
        PercentileObserver split = new PercentileObserver(INT8);
        split.observe(Arrays.copyOfRange(x, 0, 100));
        split.observe(Arrays.copyOfRange(x, 100, 200));
        PercentileObserver whole = new PercentileObserver(INT8);
        whole.observe(x);
        assertEquals(whole.range(), split.range());
        assertEquals(200, split.sampleSize());
    }

    @Test
    void matchesTheInwardRankDefinitionOnRandomSamples() {
        SplittableRandom rng = new SplittableRandom(33);
        for (int n : new int[] {3, 10, 101, 1000, 5000}) {
            float[] x = QatData.heavyTailed(rng, n);
            PercentileObserver obs = new PercentileObserver(INT8, 1.0, 95.0, 1 << 16, 7);
            obs.observe(x);
            float[] sorted = x.clone();
            Arrays.sort(sorted);
            int lo = (int) Math.ceil(0.01 * (n - 1) - 1e-9);
            int hi = (int) Math.floor(0.95 * (n - 1) + 1e-9);
            assertEquals(new ValueRange(sorted[lo], sorted[hi]), obs.range(), "n=" + n);
        }
    }

    @Test
    void aFullReservoirStillClipsOutliersFromEveryBatch() {
        SplittableRandom rng = new SplittableRandom(34);
        PercentileObserver obs = new PercentileObserver(INT8, 0.5, 99.5, 1000, 99);
        for (int b = 0; b < 20; b++) {
            float[] x = QatData.gaussian(rng, 1000, 0, 1);
            x[rng.nextInt(1000)] = 1e5f;
            x[rng.nextInt(1000)] = -1e5f;
            obs.observe(x);
        }
        assertEquals(1000, obs.sampleSize());
        ValueRange r = obs.range();
        // The 0.5 % and 99.5 % points of a standard normal are about -2.58 and 2.58.
        assertTrue(r.min() > -3.5 && r.min() < -2 && r.max() < 3.5 && r.max() > 2, "range " + r);
    }

    @Test
    void tinySamplesFallBackToNearestRanks() {
        PercentileObserver obs = new PercentileObserver(INT8);
        obs.observe(new float[] {4, -2});
        assertEquals(new ValueRange(-2, 4), obs.range());
        PercentileObserver one = new PercentileObserver(INT8);
        one.observe(new float[] {3});
        assertEquals(new ValueRange(3, 3), one.range());
    }

    @Test
    void rejectsBadPercentilesAndCapacity() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PercentileObserver(INT8, 50, 50, 10, 1))
                .getMessage().contains("0 <= low < high <= 100"));
        assertThrows(IllegalArgumentException.class, () -> new PercentileObserver(INT8, -1, 50, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new PercentileObserver(INT8, 1, 101, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new PercentileObserver(INT8, Double.NaN, 50, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new PercentileObserver(INT8, 1, 99, 0, 1));
    }
}
