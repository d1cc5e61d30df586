package io.bitnet4j.quant.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScopedObserverTest {
    private static final QuantSpec UINT8 = new QuantSpec(8, false, false, false);

    /** Channel c of x with shape [d0, channels, inner] along axis 1, gathered by plain index arithmetic. */
    private static float[] channel(float[] x, int d0, int channels, int inner, int c) {
        float[] out = new float[d0 * inner];
        int n = 0;
        for (int i = 0; i < d0; i++) {
            for (int k = 0; k < inner; k++) {
                out[n++] = x[(i * channels + c) * inner + k];
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = ObserverKind.class, names = {"MIN_MAX", "MOVING_AVERAGE_MIN_MAX", "PERCENTILE", "MEAN_STD"})
    void perChannelEqualsPerTensorAppliedToEachChannel(ObserverKind kind) {
        SplittableRandom rng = new SplittableRandom(61);
        int channels = 3;
        int inner = 5;
        ScopedObserver scoped = ScopedObserver.perChannel(1, () -> kind.create(UINT8));
        Observer[] reference = new Observer[channels];
        for (int c = 0; c < channels; c++) {
            reference[c] = kind.create(UINT8);
        }
        for (int batch = 0; batch < 6; batch++) {
            int d0 = 2 + batch; // the leading dimension may change between batches
            float[] x = QatData.gaussian(rng, d0 * channels * inner, batch, 1 + batch);
            for (int k = 0; k < x.length; k++) {
                x[k] *= 1 + (k / inner) % channels; // give each channel its own spread
            }
            scoped.observe(x, Shape.of(d0, channels, inner));
            for (int c = 0; c < channels; c++) {
                reference[c].observe(channel(x, d0, channels, inner, c));
            }
        }
        QParams[] expected = new QParams[channels];
        for (int c = 0; c < channels; c++) {
            expected[c] = reference[c].qparams();
            assertEquals(reference[c].range(), scoped.ranges()[c]);
        }
        assertArrayEquals(expected, scoped.qparams());
        assertTrue(expected[0].scale() != expected[2].scale(), "channels really differ");
    }

    @Test
    void perTensorScopeIsTheObserverItself() {
        float[] x = QatData.uniform(new SplittableRandom(62), 40, -3, 9);
        ScopedObserver scoped = new ScopedObserver(ScaleScope.perTensor(), () -> new MinMaxObserver(UINT8));
        scoped.observe(x, Shape.of(4, 10));
        assertEquals(1, scoped.channels());
        assertEquals(UINT8.qparams(QatData.min(x), QatData.max(x)), scoped.qparams()[0]);
    }

    @Test
    void rejectsInconsistentShapesAndReportsEmptyState() {
        ScopedObserver scoped = ScopedObserver.perChannel(0, () -> new MinMaxObserver(UINT8));
        assertThrows(IllegalStateException.class, scoped::qparams);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> scoped.observe(new float[6], Shape.of(2, 4)))
                .getMessage().contains("6 elements"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ScopedObserver.perChannel(2, () -> new MinMaxObserver(UINT8)).observe(new float[6], Shape.of(2, 3)))
                .getMessage().contains("axis 2"));
        scoped.observe(new float[6], Shape.of(2, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> scoped.observe(new float[6], Shape.of(3, 2)))
                .getMessage().contains("3 channels"));
        assertThrows(IllegalArgumentException.class, () -> scoped.observe(new float[] {0, 0, Float.NaN, 0, 0, 0}, Shape.of(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> ScaleScope.perChannel(-1));
    }

    @Test
    void calibrationOffFreezesEveryChannel() {
        SplittableRandom rng = new SplittableRandom(63);
        ScopedObserver scoped = ScopedObserver.perChannel(0, () -> new MovingAverageMinMaxObserver(UINT8));
        scoped.observe(QatData.gaussian(rng, 20, 0, 1), Shape.of(4, 5));
        QParams[] before = scoped.qparams();
        scoped.setCalibrating(false);
        scoped.observe(QatData.gaussian(rng, 20, 100, 10), Shape.of(4, 5));
        assertArrayEquals(before, scoped.qparams());
    }
}
