package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TensorCodec;
import io.bitnet4j.testing.SeededArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TensorCodec fallback of {@link MatrixKernels}: types without a kernel of their own multiply as their
 * dequantized rows do, with random block bytes (scales set to small finite fp16 values at the offsets the
 * formats define).
 */
class CodecKernelsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Q8_0, 0, -1", "Q4_0, 0, -1", "Q4_K, 0, 2", "Q6_K, 208, -1"})
    void decodableTypesMultiplyAsTheirDequantizedRows(GgmlType type, int scaleAt, int secondScaleAt) {
        int rows = 5;
        int cols = 512;
        byte[] bytes = randomBlocks(type, rows, cols, scaleAt, secondScaleAt, 7);
        GgufTensor t = Harness.tensor("w", type, rows, cols, bytes);
        WeightMatrix m = MatrixKernels.scalar().bind(t);
        assertEquals(type, m.type());

        RowSource decoded = TensorCodec.rows(t);
        float[] w = new float[rows * cols];
        decoded.readRows(0, rows, w);
        int tokens = 3;
        float[] x = SeededArrays.gaussian(11, tokens * cols, 1);
        for (int threads = 1; threads <= 2; threads++) {
            float[] out = Harness.multiply(m, x, tokens, threads);
            for (int tok = 0; tok < tokens; tok++) {
                for (int r = 0; r < rows; r++) {
                    double expected = 0;
                    double magnitude = 0;
                    for (int c = 0; c < cols; c++) {
                        expected += (double) w[r * cols + c] * x[tok * cols + c];
                        magnitude += Math.abs((double) w[r * cols + c] * x[tok * cols + c]);
                    }
                    assertEquals(expected, out[tok * rows + r], 1e-5 * magnitude, type + " token " + tok + " row " + r);
                }
            }
        }
        float[] row = new float[cols + 3];
        m.dequantizeRow(4, row, 3, new KernelScratch(cols));
        float[] expectedRow = new float[cols + 3];
        System.arraycopy(w, 4 * cols, expectedRow, 3, cols);
        assertArrayEquals(expectedRow, row, "row 4 at offset 3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Q6_K", "Q4_K", "Q8_0"})
    void rowsOfPartialBlocksOrShortDataAreRefusedNamingTheTensor(GgmlType type) {
        int cols = type.blockSize() / 2;
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                () -> MatrixKernels.scalar().bind(Harness.tensor("half", type, 2, cols, new byte[type.blockBytes()])));
        assertTrue(partial.getMessage().contains("'half'"), partial.getMessage());
        IllegalArgumentException shortData = assertThrows(IllegalArgumentException.class,
                () -> MatrixKernels.scalar().bind(Harness.tensor("short", type, 2, type.blockSize(), new byte[type.blockBytes()])));
        assertTrue(shortData.getMessage().contains("'short'"), shortData.getMessage());
    }

    /** Random bytes with every block's fp16 scale(s) replaced by a small finite value. */
    private static byte[] randomBlocks(GgmlType type, int rows, int cols, int scaleAt, int secondScaleAt, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int blocks = rows * cols / type.blockSize();
        ByteBuffer b = ByteBuffer.allocate(blocks * type.blockBytes()).order(ByteOrder.LITTLE_ENDIAN);
        random.nextBytes(b.array());
        for (int i = 0; i < blocks; i++) {
            int at = i * type.blockBytes();
            b.putShort(at + scaleAt, Float.floatToFloat16((float) (0.001 + 0.01 * random.nextDouble())));
            if (secondScaleAt >= 0) {
                b.putShort(at + secondScaleAt, Float.floatToFloat16((float) (0.001 + 0.01 * random.nextDouble())));
            }
        }
        return b.array();
    }
}
