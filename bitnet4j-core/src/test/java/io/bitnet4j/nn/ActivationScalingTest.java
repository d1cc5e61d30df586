package io.bitnet4j.nn;

import static io.bitnet4j.nn.Rejects.rejects;
import static io.bitnet4j.nn.Int8Reference.absmaxScale;
import static io.bitnet4j.nn.Int8Reference.filled;
import static io.bitnet4j.nn.Int8Reference.rowScales;
import static io.bitnet4j.nn.Int8Reference.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationScalingTest {

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
