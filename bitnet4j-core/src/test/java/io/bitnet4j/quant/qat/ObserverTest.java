package io.bitnet4j.quant.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour every observer shares, and the two min/max observers. */
class ObserverTest {
    private static final QuantSpec INT8 = new QuantSpec(8, false, true, false);

    @Test
    void minMaxIsExactAcrossBatches() {
        SplittableRandom rng = new SplittableRandom(21);
        float[][] batches = {QatData.gaussian(rng, 100, 0, 1), QatData.gaussian(rng, 37, 2, 3), QatData.gaussian(rng, 250, -1, 0.5)};
        MinMaxObserver obs = new MinMaxObserver(INT8);
        for (float[] b : batches) {
            obs.observe(b);
        }
        float[] all = QatData.concat(batches);
        assertEquals(new ValueRange(QatData.min(all), QatData.max(all)), obs.range());
        assertEquals(INT8.qparams(QatData.min(all), QatData.max(all)), obs.qparams());
    }

    @Test
    void movingAverageStartsAtTheFirstBatchThenMovesByOnePercent() {
        SplittableRandom rng = new SplittableRandom(22);
        MovingAverageMinMaxObserver obs = new MovingAverageMinMaxObserver(INT8);
        assertEquals(0.01, obs.averagingConstant());
        float[] first = QatData.gaussian(rng, 200, 0, 1);
        obs.observe(first);
        assertEquals(new ValueRange(QatData.min(first), QatData.max(first)), obs.range());
        double min = QatData.min(first);
        double max = QatData.max(first);
        for (int step = 0; step < 30; step++) {
            float[] b = QatData.gaussian(rng, 200, step * 0.1, 1 + step * 0.05);
            obs.observe(b);
            min = min + 0.01 * (QatData.min(b) - min);
            max = max + 0.01 * (QatData.max(b) - max);
        }
        assertEquals(min, obs.range().min(), 1e-6);
        assertEquals(max, obs.range().max(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new MovingAverageMinMaxObserver(INT8, 0));
        assertThrows(IllegalArgumentException.class, () -> new MovingAverageMinMaxObserver(INT8, 1.5));
    }

    @ParameterizedTest
    @EnumSource(value = ObserverKind.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void calibrationOffFreezesTheParameters(ObserverKind kind) {
        SplittableRandom rng = new SplittableRandom(23);
        Observer obs = kind.create(INT8);
        obs.observe(QatData.gaussian(rng, 500, 0, 1));
        QParams before = obs.qparams();
        ValueRange rangeBefore = obs.range();
        obs.setCalibrating(false);
        assertFalse(obs.isCalibrating());
        float[] wild = QatData.gaussian(rng, 500, 50, 20);
        obs.observe(wild);
        assertEquals(before, obs.qparams(), kind + " changed while frozen");
        assertEquals(rangeBefore, obs.range());
        obs.setCalibrating(true);
        obs.observe(wild);
        assertNotEquals(before, obs.qparams(), kind + " ignored data while calibrating");
    }

    @ParameterizedTest
    @EnumSource(value = ObserverKind.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void badInputsAndEmptyStateAreReported(ObserverKind kind) {
        Observer obs = kind.create(INT8);
        assertFalse(obs.hasObserved());
        assertTrue(assertThrows(IllegalStateException.class, obs::range).getMessage().contains("no data"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> obs.observe(new float[] {1, Float.NaN}))
                .getMessage().contains("index 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> obs.observe(new float[0])).getMessage().contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> obs.observe(null));
        obs.setCalibrating(false);
        assertThrows(IllegalArgumentException.class, () -> obs.observe(new float[] {Float.NEGATIVE_INFINITY}), "checked even when frozen");
        obs.setCalibrating(true);
        obs.observe(new float[] {1, 2, 3});
        assertTrue(obs.hasObserved());
        obs.reset();
        assertFalse(obs.hasObserved());
        obs.observe(new float[] {-7, 4});
        assertEquals(-7f, obs.range().min(), 1e-6, kind + " kept data across reset");
    }

    @ParameterizedTest
    @EnumSource(value = ObserverKind.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void degenerateBatchesGiveValidParameters(ObserverKind kind) {
        for (float[] batch : new float[][] {new float[64], filled(64, 5f), filled(3, -1e-9f), {-1e-9f, 1e9f}}) {
            Observer obs = kind.create(INT8);
            obs.observe(batch);
            QParams p = obs.qparams();
            for (float v : batch) {
                assertEquals(v, p.fakeQuantize(v, QatData.EVEN), p.scale() / 2 * (1 + 1e-5), kind + " " + p);
            }
        }
    }

    @Test
    void noneCreatesNoObserver() {
        assertThrows(IllegalStateException.class, () -> ObserverKind.NONE.create(INT8));
    }

    private static float[] filled(int n, float v) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
