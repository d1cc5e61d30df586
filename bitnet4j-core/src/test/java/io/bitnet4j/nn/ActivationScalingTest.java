package io.bitnet4j.nn;

import static io.bitnet4j.nn.Rejects.rejects;
import static io.bitnet4j.nn.Int8Reference.absmaxScale;
import static io.bitnet4j.nn.Int8Reference.code;
import static io.bitnet4j.nn.Int8Reference.filled;
import static io.bitnet4j.nn.Int8Reference.rowScales;
import static io.bitnet4j.nn.Int8Reference.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.QuantizedActivations;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationScalingTest {
    private static final Rounding AWAY = Rounding.HALF_AWAY_FROM_ZERO;

    @Test
    void codesMatchTheScalarDefinitionAndDequantizeWithinHalfAStep() {
        SplittableRandom rnd = new SplittableRandom(31);
        int rows = 6;
        int in = 40;
        float[] x = uniform(rnd, rows * in, -5, 5);
        QuantizedActivations q = ActivationScaling.dynamicPerToken().quantize(x, Shape.of(rows, in), AWAY);
        float[] scales = rowScales(x, rows, in);
        assertArrayEquals(scales, q.scales());
        byte[] codes = q.data();
        float[] back = q.dequantize();
        for (int i = 0; i < x.length; i++) {
            float s = scales[i / in];
            assertEquals(code(x[i], s), codes[i], "element " + i);
            assertTrue(Math.abs(back[i] - x[i]) <= s / 2 * (1 + 1e-6), "element " + i + ": " + back[i] + " vs " + x[i]);
        }
    }

    @Test
    void theLargestMagnitudeOfARowMapsToPlusOrMinus127() {
        float[] x = {-4f, 1f, 2f, 0.5f, 3f, -1.5f};
        byte[] codes = ActivationScaling.dynamicPerToken().quantize(x, Shape.of(2, 3), AWAY).data();
        // row 0: s = 4/127 → −4 → −127, 1 → 31.75 → 32, 2 → 63.5 → 64 (half away from zero)
        // row 1: s = 3/127 → 0.5 → 21.17 → 21, 3 → 127, −1.5 → −63.5 → −64
        assertArrayEquals(new byte[] {-127, 32, 64, 21, 127, -64}, codes);
    }

    @Test
    void allZeroRowsHaveScaleZeroAndCodesZero() {
        float[] x = {0f, 0f, 0f, 1f, -2f, 0f};
        QuantizedActivations q = ActivationScaling.dynamicPerToken().quantize(x, Shape.of(2, 3), AWAY);
        assertEquals(0f, q.scaleOfRow(0));
        assertArrayEquals(new byte[] {0, 0, 0, 64, -127, 0}, q.data());
        assertArrayEquals(new float[] {0f, 0f, 0f}, java.util.Arrays.copyOf(q.dequantize(), 3));
    }

    @Test
    void staticScalesSaturateAt127WithoutEverProducingMinus128() {
        SplittableRandom rnd = new SplittableRandom(32);
        float[] x = uniform(rnd, 1000, -100, 100);
        byte[] codes = ActivationScaling.fixedScale(0.1f).quantize(x, Shape.of(10, 100), AWAY).data();
        int min = 0;
        int max = 0;
        for (int i = 0; i < codes.length; i++) {
            assertEquals(code(x[i], 0.1f), codes[i], "element " + i);
            min = Math.min(min, codes[i]);
            max = Math.max(max, codes[i]);
        }
        assertEquals(-127, min);
        assertEquals(127, max);
    }

    @Test
    void rejectsNonFiniteOrMisshapenInput() {
        ActivationScaling s = ActivationScaling.dynamicPerTensor();
        rejects("input has a non-finite value -Infinity at index 1",
                () -> s.quantize(new float[] {1, Float.NEGATIVE_INFINITY}, Shape.of(1, 2), AWAY));
        rejects("input has 3 elements but shape [2, 2] needs 4",
                () -> s.quantize(new float[3], Shape.of(2, 2), AWAY));
        rejects("input is empty", () -> s.quantize(new float[0], Shape.of(1, 1), AWAY));
    }

    @Test
    void perTokenScalesAreEachRowsAbsmaxOver127() {
        float[] x = uniform(new SplittableRandom(21), 4 * 9, -3, 3);
        x[9 + 4] = -7f; // row 1's absmax is negative
        java.util.Arrays.fill(x, 18, 27, 0f); // row 2 is all zero
        float[] scales = ActivationScaling.dynamicPerToken().rowScales(x, Shape.of(2, 2, 9));
        assertArrayEquals(rowScales(x, 4, 9), scales);
        assertArrayEquals(new float[] {7f / 127f, 0f}, new float[] {scales[1], scales[2]});
    }

    @Test
    void perTensorAndStaticScalesAreTheSameForEveryRow() {
        float[] x = uniform(new SplittableRandom(22), 3 * 5, -2, 2);
        Shape shape = Shape.of(3, 5);
        assertArrayEquals(filled(3, absmaxScale(x, 0, x.length)), ActivationScaling.dynamicPerTensor().rowScales(x, shape));
        assertArrayEquals(filled(3, 0.25f), ActivationScaling.fixedScale(0.25f).rowScales(x, shape));
    }

    @Test
    void onlyStaticScalesAreNotDynamic() {
        assertFalse(ActivationScaling.fixedScale(1f).isDynamic());
        assertTrue(ActivationScaling.dynamicPerTensor().isDynamic());
        assertTrue(ActivationScaling.dynamicPerToken().isDynamic());
    }

    @Test
    void staticScaleMustBeFiniteAndPositive() {
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            rejects("static input scale is " + bad, () -> ActivationScaling.fixedScale(bad));
        }
    }
}
