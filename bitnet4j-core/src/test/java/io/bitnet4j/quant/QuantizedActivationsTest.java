package io.bitnet4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.SeededArrays;
import org.junit.jupiter.api.Test;

class QuantizedActivationsTest {

    @Test
    void dequantizesPerTokenAndPerTensor() {
        byte[] codes = {1, -2, 3, 4, 0, -7};
        var perToken = new QuantizedActivations(codes, new float[] {0.5f, 2f}, Shape.of(2, 3), 4, true);
        assertArrayEquals(new float[] {0.5f, -1f, 1.5f, 8f, 0f, -14f}, perToken.dequantize());
        var perTensor = new QuantizedActivations(codes, new float[] {0.25f}, Shape.of(1, 2, 3), 4, false);
        assertArrayEquals(new float[] {0.25f, -0.5f, 0.75f, 1f, 0f, -1.75f}, perTensor.dequantize());
        assertEquals(0.25f, perTensor.scaleOfRow(1));
        assertEquals(7, perTensor.maxCode());
        assertEquals(127, QuantizedActivations.maxCode(8));
        assertEquals(1, QuantizedActivations.maxCode(2));
    }

    @Test
    void equalityComparesContents() {
        var a = new QuantizedActivations(new byte[] {1, 2}, new float[] {1f}, Shape.of(1, 2), 8, true);
        var b = new QuantizedActivations(new byte[] {1, 2}, new float[] {1f}, Shape.of(1, 2), 8, true);
        var c = new QuantizedActivations(new byte[] {1, 3}, new float[] {1f}, Shape.of(1, 2), 8, true);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
    }

    @Test
    void rejectsInconsistentParts() {
        Shape shape = Shape.of(2, 3);
        byte[] codes = new byte[6];
        var count = assertThrows(IllegalArgumentException.class,
                () -> new QuantizedActivations(codes, new float[] {1f}, shape, 8, true));
        assertTrue(count.getMessage().contains("need 2 scales"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QuantizedActivations(codes, new float[2], shape, 8, false));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedActivations(new byte[5], new float[2], shape, 8, true));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedActivations(codes, new float[] {1f, -1f}, shape, 8, true));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedActivations(codes, new float[] {1f, Float.NaN}, shape, 8, true));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedActivations(codes, new float[2], shape, 9, true));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedActivations(null, new float[2], shape, 8, true));
        var range = assertThrows(IllegalArgumentException.class,
                () -> new QuantizedActivations(new byte[] {0, 0, 8, 0, 0, 0}, new float[2], shape, 4, true));
        assertTrue(range.getMessage().contains("code 2 is 8"), range.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new QuantizedActivations(new byte[] {-128, 0, 0, 0, 0, 0}, new float[2], shape, 8, true));
    }

    /** Caller-given scales (e.g. a calibrated static one) smaller than the data: codes saturate at ±Qp. */
    @Test
    void givenScalesQuantizeAndSaturateLikeThePlainFormula() {
        Shape shape = Shape.of(3, 2, 10);
        float[] x = SeededArrays.gaussian(51, shape.size(), 4.0);
        float[] rowScales = {0.01f, 0.05f, 0.2f, 0f, 1f, 0.03f};
        for (int bits : new int[] {2, 5, 8}) {
            for (Rounding rounding : Rounding.values()) {
                for (boolean perToken : new boolean[] {true, false}) {
                    float[] scales = perToken ? rowScales : new float[] {0.05f};
                    QuantizedActivations q = QuantizedActivations.quantize(x, shape, scales, bits, perToken, rounding);
                    assertEquals(perToken, q.perToken());
                    int qp = (1 << (bits - 1)) - 1;
                    for (int i = 0; i < x.length; i++) {
                        float s = scales[perToken ? i / 10 : 0];
                        double r = s == 0 ? 0 : rounding == Rounding.HALF_EVEN ? Math.rint(x[i] / s)
                                : Math.signum(x[i] / s) * Math.floor(Math.abs((double) (x[i] / s)) + 0.5);
                        assertEquals((int) Math.max(-qp, Math.min(qp, r)), q.data()[i], bits + " " + rounding + " " + perToken + " element " + i);
                    }
                    assertTrue(contains(q.data(), (byte) -qp) && contains(q.data(), (byte) qp), "saturates at both ends");
                }
            }
        }
    }

    @Test
    void givenScalesAreCheckedBeforeUse() {
        Shape shape = Shape.of(2, 3);
        float[] x = {1, 2, 3, 4, 5, 6};
        var h = Rounding.HALF_AWAY_FROM_ZERO;
        var count = assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.quantize(x, shape, new float[1], 8, true, h));
        assertTrue(count.getMessage().contains("need 2 scales, got 1"), count.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> QuantizedActivations.quantize(x, shape, new float[] {1f, -1f}, 8, true, h));
        assertTrue(negative.getMessage().contains("scale 1 is -1.0"), negative.getMessage());
        var nan = assertThrows(IllegalArgumentException.class,
                () -> QuantizedActivations.quantize(new float[] {1, 2, Float.NaN, 4, 5, 6}, shape, new float[] {1f}, 8, false, h));
        assertTrue(nan.getMessage().contains("NaN at index 2"), nan.getMessage());
        var length = assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.quantize(new float[5], shape, new float[1], 8, false, h));
        assertTrue(length.getMessage().contains("5 elements"), length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.quantize(x, shape, new float[1], 9, false, h));
        assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.quantize(x, shape, new float[1], 8, false, null));
        assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.quantize(x, null, new float[1], 8, false, h));
        assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.quantize(x, shape, null, 8, false, h));
        assertThrows(IllegalArgumentException.class, () -> QuantizedActivations.quantize(new float[0], shape, new float[1], 8, false, h));
    }

    private static boolean contains(byte[] a, byte v) {
        for (byte b : a) {
            if (b == v) {
                return true;
            }
        }
        return false;
    }
}
