package io.bitnet4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
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
}
