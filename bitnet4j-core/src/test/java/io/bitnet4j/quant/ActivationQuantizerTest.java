package io.bitnet4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.ActivationQuantizer.ScaleForm;
import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.SeededArrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActivationQuantizerTest {

    private static final List<Shape> SHAPES = List.of(Shape.of(5, 33), Shape.of(2, 3, 17), Shape.of(40));

    private static ActivationQuantizer quantizer(int bits, boolean perToken, Rounding rounding, ScaleForm form) {
        return new ActivationQuantizer(bits, perToken, 1e-5f, rounding, form);
    }

    /** Codes and scales against the formulas written out plainly, for every bit width, mode and rank. */
    @Test
    void matchesAPlainScalarReference() {
        long seed = 20;
        for (Shape shape : SHAPES) {
            float[] x = SeededArrays.gaussian(seed++, shape.size(), 3.0);
            for (int bits = 2; bits <= 8; bits++) {
                for (boolean perToken : new boolean[] {true, false}) {
                    for (ScaleForm form : ScaleForm.values()) {
                        QuantizedActivations q = quantizer(bits, perToken, Rounding.HALF_EVEN, form).quantize(x, shape);
                        int qp = (1 << (bits - 1)) - 1;
                        int width = perToken ? shape.lastDim() : shape.size();
                        for (int u = 0; u < shape.size() / width; u++) {
                            float max = 0;
                            for (int i = u * width; i < (u + 1) * width; i++) {
                                max = Math.max(max, Math.abs(x[i]));
                            }
                            float scale = max / qp;
                            float inverse = qp / max;
                            String where = shape + " bits " + bits + " perToken " + perToken + " " + form + " unit " + u;
                            assertEquals(form == ScaleForm.DIVIDE ? scale : 1f / inverse, q.scales()[u], where);
                            for (int i = u * width; i < (u + 1) * width; i++) {
                                float v = form == ScaleForm.DIVIDE ? x[i] / scale : x[i] * inverse;
                                assertEquals((int) Math.max(-qp, Math.min(qp, Math.rint(v))), q.data()[i], where + " code " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void roundTripErrorIsAtMostHalfAScale() {
        long seed = 30;
        for (Shape shape : SHAPES) {
            float[] x = SeededArrays.uniform(seed++, shape.size(), 10.0);
            for (boolean perToken : new boolean[] {true, false}) {
                for (int bits : new int[] {2, 4, 8}) {
                    QuantizedActivations q = quantizer(bits, perToken, Rounding.HALF_AWAY_FROM_ZERO, ScaleForm.DIVIDE).quantize(x, shape);
                    float[] back = q.dequantize();
                    for (int i = 0; i < x.length; i++) {
                        float scale = q.scaleOfRow(i / shape.lastDim());
                        assertTrue(Math.abs(x[i] - back[i]) <= scale / 2 * (1 + 1e-5), shape + " element " + i);
                    }
                }
            }
        }
    }

    @Test
    void int8CodesReachPlusMinus127AtTheRowMaximumAndNeverMinus128() {
        float[] x = SeededArrays.gaussian(31, 4 * 64, 1.0);
        x[10] = -50f; // row 0's max is negative
        x[64 + 3] = 50f;
        QuantizedActivations q = ActivationQuantizer.int8PerToken().quantize(x, Shape.of(4, 64));
        assertEquals(-127, q.data()[10]);
        assertEquals(127, q.data()[64 + 3]);
        for (int r = 0; r < 4; r++) {
            int max = 0;
            for (int i = r * 64; i < (r + 1) * 64; i++) {
                assertTrue(q.data()[i] >= -127, "code " + i);
                max = Math.max(max, Math.abs(q.data()[i]));
            }
            assertEquals(127, max, "row " + r);
        }
    }

    @Test
    void allZeroRowsGetScaleZeroAndDequantizeToZero() {
        float[] x = SeededArrays.gaussian(32, 3 * 16, 1.0);
        for (int i = 16; i < 32; i++) {
            x[i] = (i % 2 == 0) ? 0f : -0f;
        }
        QuantizedActivations q = ActivationQuantizer.int8PerToken().quantize(x, Shape.of(3, 16));
        assertEquals(0f, q.scales()[1]);
        assertTrue(q.scales()[0] > 0 && q.scales()[2] > 0);
        float[] back = q.dequantize();
        for (int i = 16; i < 32; i++) {
            assertEquals(0, q.data()[i]);
            assertEquals(0f, back[i], 0f);
        }
        for (float v : ActivationQuantizer.int8PerToken().fakeQuantize(new float[24], Shape.of(2, 3, 4))) {
            assertEquals(0f, v, 0f);
        }
        QuantizedActivations tensor = quantizer(8, false, Rounding.HALF_AWAY_FROM_ZERO, ScaleForm.DIVIDE).quantize(new float[8], Shape.of(2, 4));
        assertArrayEquals(new float[] {0f}, tensor.scales());
    }

    /** The eps floor: a row far below eps is quantized against eps (small codes, tiny values kept), not zeroed. */
    @Test
    void rowsBelowEpsUseTheFloorScale() {
        float[] x = {1e-7f, -5e-7f, 2e-7f, 0f};
        for (ScaleForm form : ScaleForm.values()) {
            QuantizedActivations q = quantizer(8, true, Rounding.HALF_AWAY_FROM_ZERO, form).quantize(x, Shape.of(1, 4));
            assertEquals(1e-5f / 127, q.scales()[0], 1e-5f / 127 * 1e-6);
            // -5e-7 / (1e-5 / 127) = -6.35
            assertArrayEquals(new byte[] {1, -6, 3, 0}, q.data());
            float[] back = q.dequantize();
            for (int i = 0; i < x.length; i++) {
                assertTrue(Math.abs(x[i] - back[i]) <= q.scales()[0] / 2 * (1 + 1e-5), "element " + i);
            }
        }
    }

    /** PyTorch's dynamic scale has no floor: a row far below eps still spans the full code range. */
    @Test
    void unflooredScaleIsMaxOverQpWithoutTheEpsFloor() {
        float[] x = SeededArrays.gaussian(35, 3 * 20, 2.0);
        for (int bits = 2; bits <= 8; bits++) {
            int qp = (1 << (bits - 1)) - 1;
            for (int r = 0; r < 3; r++) {
                float max = 0;
                for (int i = r * 20; i < (r + 1) * 20; i++) {
                    max = Math.max(max, Math.abs(x[i]));
                }
                assertEquals(max / qp, ActivationQuantizer.unflooredScale(x, r * 20, (r + 1) * 20, bits), "bits " + bits + " row " + r);
            }
        }
        float[] tiny = {1e-7f, -5e-7f, 2e-7f, 0f}; // floored at eps 1e-5 in rowsBelowEpsUseTheFloorScale
        float scale = ActivationQuantizer.unflooredScale(tiny, 0, 4, 8);
        assertEquals(5e-7f / 127, scale);
        assertArrayEquals(new byte[] {25, -127, 51, 0}, // 25.4, -127, 50.8
                QuantizedActivations.quantize(tiny, Shape.of(1, 4), new float[] {scale}, 8, true, Rounding.HALF_AWAY_FROM_ZERO).data());
        // below what the division can represent the scale underflows to 0, and the codes are 0, not ±Qp
        float[] subnormal = {Float.MIN_VALUE * 3, -Float.MIN_VALUE};
        assertEquals(0f, ActivationQuantizer.unflooredScale(subnormal, 0, 2, 8));
        assertArrayEquals(new byte[2],
                QuantizedActivations.quantize(subnormal, Shape.of(2), new float[] {0f}, 8, false, Rounding.HALF_AWAY_FROM_ZERO).data());
        assertEquals(0f, ActivationQuantizer.unflooredScale(new float[4], 0, 4, 8));
    }

    @Test
    void unflooredScaleRejectsBadSpans() {
        float[] x = {1f, Float.NaN, 2f};
        assertEquals(1f / 127, ActivationQuantizer.unflooredScale(x, 0, 1, 8));
        var nan = assertThrows(IllegalArgumentException.class, () -> ActivationQuantizer.unflooredScale(x, 0, 3, 8));
        assertTrue(nan.getMessage().contains("NaN at index 1"), nan.getMessage());
        var span = assertThrows(IllegalArgumentException.class, () -> ActivationQuantizer.unflooredScale(x, 2, 4, 8));
        assertTrue(span.getMessage().contains("[2, 4)"), span.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ActivationQuantizer.unflooredScale(x, 2, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuantizer.unflooredScale(x, -1, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuantizer.unflooredScale(null, 0, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuantizer.unflooredScale(x, 0, 1, 1));
    }

    @Test
    void roundingDecidesExactHalves() {
        float[] x = {127f, 0.5f, -0.5f, 1.5f, -2.5f}; // scale 127 / 127 = 1, so codes are the values themselves
        byte[] away = quantizer(8, true, Rounding.HALF_AWAY_FROM_ZERO, ScaleForm.DIVIDE).quantize(x, Shape.of(1, 5)).data();
        byte[] even = quantizer(8, true, Rounding.HALF_EVEN, ScaleForm.DIVIDE).quantize(x, Shape.of(1, 5)).data();
        assertArrayEquals(new byte[] {127, 1, -1, 2, -3}, away);
        assertArrayEquals(new byte[] {127, 0, 0, 2, -2}, even);
    }

    @Test
    void perTensorUsesOneScaleForAllRows() {
        float[] x = {1f, -2f, 100f, 50f};
        QuantizedActivations q = quantizer(8, false, Rounding.HALF_AWAY_FROM_ZERO, ScaleForm.DIVIDE).quantize(x, Shape.of(2, 2));
        assertArrayEquals(new float[] {100f / 127}, q.scales());
        assertArrayEquals(new byte[] {1, -3, 127, 64}, q.data()); // 1.27, -2.54, 127, 63.5
    }

    @Test
    void theTwoScaleFormsDifferByAtMostOneCode() {
        float[] x = SeededArrays.gaussian(33, 64 * 128, 1.0);
        byte[] divide = quantizer(8, true, Rounding.HALF_EVEN, ScaleForm.DIVIDE).quantize(x, Shape.of(64, 128)).data();
        byte[] inverse = quantizer(8, true, Rounding.HALF_EVEN, ScaleForm.MULTIPLY_INVERSE).quantize(x, Shape.of(64, 128)).data();
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(divide[i] - inverse[i]) <= 1, "element " + i);
        }
    }

    @Test
    void fakeQuantizeIsIdempotent() {
        float[] x = SeededArrays.gaussian(34, 6 * 32, 2.0);
        ActivationQuantizer q = ActivationQuantizer.int8PerToken();
        float[] once = q.fakeQuantize(x, Shape.of(6, 32));
        float[] twice = q.fakeQuantize(once, Shape.of(6, 32));
        for (int i = 0; i < x.length; i++) {
            assertEquals(once[i], twice[i], Math.abs(once[i]) * 1e-6, "element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void rejectsNonFiniteActivationsNamingTheIndex(float bad) {
        float[] x = new float[12];
        x[7] = bad;
        var e = assertThrows(IllegalArgumentException.class, () -> ActivationQuantizer.int8PerToken().quantize(x, Shape.of(2, 2, 3)));
        assertTrue(e.getMessage().contains("index 7") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
    }

    @Test
    void rejectsBadInputs() {
        ActivationQuantizer q = ActivationQuantizer.int8PerToken();
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[0], Shape.of(1)));
        assertThrows(IllegalArgumentException.class, () -> q.quantize(null, Shape.of(1)));
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[4], null));
        var e = assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[5], Shape.of(2, 3)));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void rejectsBadConstruction() {
        var half = Rounding.HALF_AWAY_FROM_ZERO;
        var bits1 = assertThrows(IllegalArgumentException.class, () -> new ActivationQuantizer(1, true, 1e-5f, half, ScaleForm.DIVIDE));
        assertTrue(bits1.getMessage().contains("activation bits"), bits1.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ActivationQuantizer(9, true, 1e-5f, half, ScaleForm.DIVIDE));
        for (float eps : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 1e-44f}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new ActivationQuantizer(8, true, eps, half, ScaleForm.DIVIDE));
            assertTrue(e.getMessage().contains("eps"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new ActivationQuantizer(8, true, 1e-5f, null, ScaleForm.DIVIDE));
        assertThrows(IllegalArgumentException.class, () -> new ActivationQuantizer(8, true, 1e-5f, half, null));
    }
}
