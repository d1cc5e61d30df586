package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.I2sMatmul;
import io.bitnet4j.format.Q8_K;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The activation conversions against the format classes' own (byte-array) quantizers. */
class ActivationsTest {
    private static final int ROWS = 3;
    private static final int COLS = 512;

    @Test
    void q8kConversionMatchesTheFormatsQuantizerRowByRow() {
        float[] x = SeededArrays.gaussian(41, ROWS * COLS, 2);
        x[COLS + 5] = 0; // and an all-zero block:
        Arrays.fill(x, 2 * COLS, 2 * COLS + 256, 0f);
        Activations a = new Activations(ROWS * COLS);
        a.set(x, ROWS, COLS);
        a.prepare(ActivationType.Q8_K);
        for (int r = 0; r < ROWS; r++) {
            byte[] packed = Q8_K.quantize(Arrays.copyOfRange(x, r * COLS, (r + 1) * COLS));
            for (int b = 0; b < COLS / 256; b++) {
                assertEquals(Q8_K.scale(packed, b), a.scales(ActivationType.Q8_K)[r * 2 + b], "d of row " + r + " block " + b);
                for (int j = 0; j < 256; j++) {
                    assertEquals(Q8_K.value(packed, b, j), a.quants(ActivationType.Q8_K)[r * COLS + 256 * b + j]);
                }
                for (int g = 0; g < 8; g++) {
                    int expected = Q8_K.bsum(packed, b, 2 * g) + Q8_K.bsum(packed, b, 2 * g + 1);
                    assertEquals(expected, a.sums32()[(r * COLS + 256 * b) / 32 + g], "32-sum " + g);
                }
            }
        }
    }

    @Test
    void int8PerRowMatchesBitnetCppQuantizer() {
        float[] x = SeededArrays.gaussian(42, ROWS * COLS, 3);
        Activations a = new Activations(ROWS * COLS);
        a.set(x, ROWS, COLS);
        a.prepare(ActivationType.I8_PER_ROW);
        I2sMatmul.Activations expected = I2sMatmul.quantizeActivations(x, COLS);
        assertArrayEquals(expected.q(), Arrays.copyOf(a.quants(ActivationType.I8_PER_ROW), ROWS * COLS));
        for (int r = 0; r < ROWS; r++) {
            assertEquals(expected.scales()[r], a.scales(ActivationType.I8_PER_ROW)[r]);
            int sum = 0;
            for (int c = 0; c < COLS; c++) {
                sum += expected.q()[r * COLS + c];
            }
            assertEquals(sum, a.rowSums()[r]);
        }
    }

    @Test
    void floatFormsRoundToNearestEven() {
        float[] x = SeededArrays.uniform(43, ROWS * COLS, 100);
        Activations a = new Activations(ROWS * COLS);
        a.set(x, ROWS, COLS);
        assertSame(x, a.values(ActivationType.F32));
        a.prepare(ActivationType.F16);
        float[] f16 = a.values(ActivationType.F16);
        float[] expectedF16 = DenseKernelTest.storedValues(x, GgmlType.F16);
        for (int i = 0; i < ROWS * COLS; i++) {
            assertEquals(expectedF16[i], f16[i], "f16 " + i);
        }
        a.prepare(ActivationType.BF16);
        float[] bf16 = a.values(ActivationType.BF16);
        float[] expectedBf16 = DenseKernelTest.storedValues(x, GgmlType.BF16);
        for (int i = 0; i < ROWS * COLS; i++) {
            assertEquals(expectedBf16[i], bf16[i], "bf16 " + i);
        }
        assertThrows(IllegalStateException.class, () -> a.values(ActivationType.F16), "F16 was replaced by the BF16 conversion");
    }

    @Test
    void misuseFailsClearly() {
        Activations a = new Activations(100);
        assertThrows(IllegalStateException.class, () -> a.prepare(ActivationType.Q8_K));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> a.set(new float[200], 2, 100));
        assertTrue(big.getMessage().contains("2 rows × 100 columns"), big.getMessage());
        a.set(new float[100], 1, 100);
        IllegalArgumentException blocks = assertThrows(IllegalArgumentException.class, () -> a.prepare(ActivationType.Q8_K));
        assertTrue(blocks.getMessage().contains("100"), blocks.getMessage());
        assertThrows(IllegalStateException.class, () -> a.quants(ActivationType.I8_PER_ROW));
        assertThrows(IllegalArgumentException.class, () -> a.values(ActivationType.Q8_K));
        assertThrows(IllegalArgumentException.class, () -> new Activations(0));
    }
}
