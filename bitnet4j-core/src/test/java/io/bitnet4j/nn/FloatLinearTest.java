package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.SeededArrays;
import org.junit.jupiter.api.Test;

class FloatLinearTest {

    @Test
    void computesXTimesWTransposedPlusBias() {
        // W = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1, 0]; x = [[1, 1], [2, -1]]
        FloatLinear layer = new FloatLinear(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(3, 2), new float[] {0.5f, -1f, 0f});
        assertArrayEquals(new float[] {3.5f, 6f, 11f, 0.5f, 1f, 4f}, layer.forward(new float[] {1, 1, 2, -1}, Shape.of(2, 2)));
        assertEquals(Shape.of(1, 2, 3), layer.outputShape(Shape.of(1, 2, 2)));
        assertEquals(9, layer.parameterCount());
        assertEquals(36, layer.memoryBytes());
    }

    @Test
    void matchesAPlainLoopOnRandomData() {
        int out = 7;
        int in = 19;
        float[] w = SeededArrays.gaussian(300, out * in, 1.0);
        float[] x = SeededArrays.gaussian(301, 2 * 3 * in, 1.0);
        float[] y = new FloatLinear(w, Shape.of(out, in), null).forward(x, Shape.of(2, 3, in));
        for (int r = 0; r < 6; r++) {
            for (int o = 0; o < out; o++) {
                double sum = 0;
                for (int i = 0; i < in; i++) {
                    sum += (double) x[r * in + i] * w[o * in + i];
                }
                assertEquals(sum, y[r * out + o], 1e-5 * (1 + Math.abs(sum)));
            }
        }
    }

    @Test
    void keepsCopies() {
        float[] w = {1, 2};
        float[] b = {3};
        FloatLinear layer = new FloatLinear(w, Shape.of(1, 2), b);
        w[0] = 9;
        b[0] = 9;
        layer.weight()[1] = 9;
        assertArrayEquals(new float[] {1, 2}, layer.weight());
        assertArrayEquals(new float[] {3}, layer.bias());
        assertNull(new FloatLinear(w, Shape.of(1, 2), null).bias());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new FloatLinear(new float[6], Shape.of(6), null));
        assertThrows(IllegalArgumentException.class, () -> new FloatLinear(new float[5], Shape.of(2, 3), null));
        assertThrows(IllegalArgumentException.class, () -> new FloatLinear(new float[0], Shape.of(2, 3), null));
        assertThrows(IllegalArgumentException.class, () -> new FloatLinear(new float[6], Shape.of(2, 3), new float[3]));
        var nan = assertThrows(IllegalArgumentException.class,
                () -> new FloatLinear(new float[] {0, Float.NaN}, Shape.of(1, 2), null));
        assertTrue(nan.getMessage().contains("index 1"), nan.getMessage());
        FloatLinear layer = new FloatLinear(new float[6], Shape.of(2, 3), null);
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[4], Shape.of(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[] {1, Float.NaN, 0}, Shape.of(1, 3)));
    }
}
