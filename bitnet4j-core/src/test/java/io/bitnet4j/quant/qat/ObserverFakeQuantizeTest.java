package io.bitnet4j.quant.qat;

import static io.bitnet4j.quant.qat.QatData.EVEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ObserverFakeQuantizeTest {

    @Test
    void forwardObservesThenQuantizesAndBackwardClips() {
        SplittableRandom rng = new SplittableRandom(71);
        FakeQuantize fq = FakeQuantize.create(FakeQuantConfig.builder().bits(4).observer(ObserverKind.MOVING_AVERAGE_MIN_MAX).build());
        Shape shape = Shape.of(10, 20);
        fq.forward(QatData.gaussian(rng, 200, 0, 1), shape);
        float[] x = QatData.gaussian(rng, 200, 0, 3); // wider than the averaged range: some values saturate
        float[] y = fq.forward(x, shape);
        QParams p = fq.qparams()[0];
        float lo = (p.qmin() - p.zeroPoint()) * p.scale();
        float hi = (p.qmax() - p.zeroPoint()) * p.scale();
        float[] g = QatData.gaussian(rng, 200, 0, 1);
        float[] dx = fq.backward(x, shape, g).input();
        int clipped = 0;
        for (int i = 0; i < x.length; i++) {
            double code = Math.max(p.qmin(), Math.min(p.qmax(), Math.rint(x[i] / p.scale()) + p.zeroPoint()));
            assertEquals((code - p.zeroPoint()) * p.scale(), y[i], 1e-6, "forward element " + i);
            boolean inside = x[i] >= lo && x[i] <= hi;
            assertEquals(inside ? g[i] : 0f, dx[i], "backward element " + i);
            clipped += inside ? 0 : 1;
        }
        assertTrue(clipped > 0, "the test must exercise clipping");
        assertEquals(0, fq.backward(x, shape, g).step().length);
    }

    @Test
    void perChannelUsesEachChannelsParameters() {
        SplittableRandom rng = new SplittableRandom(72);
        FakeQuantize fq = FakeQuantize.create(FakeQuantConfig.builder().perChannel(0).symmetric(true).build());
        float[] x = QatData.gaussian(rng, 3 * 50, 0, 1);
        for (int i = 50; i < 100; i++) {
            x[i] *= 100; // channel 1 is a hundred times wider
        }
        float[] y = fq.forward(x, Shape.of(3, 50));
        QParams[] p = fq.qparams();
        assertEquals(3, p.length);
        for (int c = 0; c < 3; c++) {
            float[] row = Arrays.copyOfRange(x, c * 50, c * 50 + 50);
            float m = Math.max(-QatData.min(row), QatData.max(row));
            assertEquals(m / 127.5f, p[c].scale(), 1e-6 * m);
            for (int k = 0; k < 50; k++) {
                assertEquals(p[c].fakeQuantize(row[k], EVEN), y[c * 50 + k]);
            }
        }
    }

    @Test
    void calibrationOffFreezesAndWithoutDataThereAreNoParameters() {
        SplittableRandom rng = new SplittableRandom(73);
        FakeQuantize fq = FakeQuantize.create(FakeQuantConfig.builder().observer(ObserverKind.HISTOGRAM).build());
        fq.forward(QatData.gaussian(rng, 500, 0, 1), Shape.of(500));
        QParams before = fq.qparams()[0];
        fq.setCalibrating(false);
        fq.forward(QatData.gaussian(rng, 500, 30, 5), Shape.of(500));
        assertEquals(before, fq.qparams()[0]);

        FakeQuantize frozen = FakeQuantize.create(FakeQuantConfig.builder().calibrating(false).build());
        assertTrue(assertThrows(IllegalStateException.class, () -> frozen.forward(new float[] {1, 2}, Shape.of(2)))
                .getMessage().contains("calibration is off"));
    }

    @Test
    void storesAffineCodesInBytesWithoutOverflowAtTheExtremes() {
        for (boolean signed : new boolean[] {true, false}) {
            for (float[] x : new float[][] {{-1e-9f, 1e9f, 0f, 5e8f}, {-1e9f, 1e-9f, -5e8f}, {7f, 7f, 7f}, new float[16], {-3, 250, 1e-3f}}) {
                FakeQuantize fq = FakeQuantize.create(FakeQuantConfig.builder().signed(signed).build());
                Shape shape = Shape.of(x.length);
                float[] y = fq.forward(x, shape);
                QParams p = fq.qparams()[0];
                assertTrue(p.zeroPoint() >= p.qmin() && p.zeroPoint() <= p.qmax());
                byte[] codes = fq.quantizeToBytes(x, shape);
                int[] ints = fq.quantize(x, shape);
                float[] back = p.dequantizeBytes(codes);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(ints[i], signed ? codes[i] : codes[i] & 0xFF, "no wrap at element " + i);
                    assertEquals(y[i], back[i], "byte round trip at element " + i);
                    assertEquals(x[i], back[i], p.scale() / 2 * (1 + 1e-5), "element " + i + " of " + Arrays.toString(x));
                }
            }
        }
    }

    @Test
    void rejectsBadInputs() {
        FakeQuantize fq = FakeQuantize.create(FakeQuantConfig.builder().build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fq.forward(new float[] {0, Float.NaN}, Shape.of(2)))
                .getMessage().contains("index 1"));
        assertThrows(IllegalArgumentException.class, () -> fq.forward(new float[0], Shape.of(1)));
        assertThrows(IllegalArgumentException.class, () -> fq.forward(new float[3], Shape.of(2)));
        assertThrows(IllegalArgumentException.class, () -> fq.forward(new float[3], null));
        fq.forward(new float[] {1, 2}, Shape.of(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fq.backward(new float[] {1, 2}, Shape.of(2), new float[3]))
                .getMessage().contains("3 elements"));
        assertThrows(IllegalArgumentException.class, () -> fq.backward(new float[] {1, 2}, Shape.of(2), new float[] {0, Float.NaN}));
        FakeQuantize wide = FakeQuantize.create(FakeQuantConfig.builder().bits(12).build());
        wide.forward(new float[] {1, 2}, Shape.of(2));
        assertThrows(IllegalArgumentException.class, () -> wide.quantizeToBytes(new float[] {1, 2}, Shape.of(2)));
        assertArrayEquals(new int[] {wide.qparams()[0].quantize(1, EVEN), 2047}, wide.quantize(new float[] {1, 2}, Shape.of(2)));
    }
}
