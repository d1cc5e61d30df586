package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.testing.SeededArrays;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Binding tensors to kernels: unsupported types, decoder plug-ins and shape rules. */
class MatrixKernelsTest {

    @Test
    void typesWithoutAKernelOrDecoderFailNamingTensorAndType() {
        GgufTensor t = Harness.tensor("blk.0.ffn_down.weight", GgmlType.Q5_K, 2, 256, new byte[2 * 176]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatrixKernels.scalar().bind(t));
        assertTrue(e.getMessage().startsWith("tensor 'blk.0.ffn_down.weight': type Q5_K not supported yet for matmul"), e.getMessage());
        assertTrue(e.getMessage().contains("Q6_K"), "lists the decodable types: " + e.getMessage());
    }

    /** Q8_0 as a plug-in: blocks of 32 int8 with an f16 scale in front, decoded here from the format's definition. */
    private static final RowDecoder Q8_0 = (data, row, cols, dst, off) -> {
        long at = row * (cols / 32) * 34;
        for (int b = 0; b < cols / 32; b++) {
            float d = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), at + 34L * b));
            for (int j = 0; j < 32; j++) {
                dst[off + 32 * b + j] = d * data.get(ValueLayout.JAVA_BYTE, at + 34L * b + 2 + j);
            }
        }
    };

    @Test
    void aDecoderMakesAnotherTypeMultipliable() {
        int rows = 3;
        int cols = 64;
        ByteBuffer bytes = ByteBuffer.allocate(rows * (cols / 32) * 34).order(ByteOrder.LITTLE_ENDIAN);
        float[] plain = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < cols / 32; b++) {
                short d = Float.floatToFloat16(0.25f * (r + 1));
                bytes.putShort(d);
                for (int j = 0; j < 32; j++) {
                    byte q = (byte) (j - 16 + b);
                    bytes.put(q);
                    plain[r * cols + 32 * b + j] = Float.float16ToFloat(d) * q;
                }
            }
        }
        GgufTensor t = Harness.tensor("q", GgmlType.Q8_0, rows, cols, bytes.array());
        WeightMatrix m = MatrixKernels.scalar().withDecoder(GgmlType.Q8_0, Q8_0).bind(t);
        float[] x = SeededArrays.gaussian(31, 2 * cols, 1);
        float[] out = Harness.multiply(m, x, 2, 1);
        // the built-in fallback (TensorCodec's Q8_0 decoder) computes the same float products
        assertEquals(-1, Harness.firstBitDifference(out, Harness.multiply(MatrixKernels.scalar().bind(t), x, 2, 1)));
        for (int tok = 0; tok < 2; tok++) {
            for (int r = 0; r < rows; r++) {
                double expected = 0;
                for (int c = 0; c < cols; c++) {
                    expected += (double) plain[r * cols + c] * x[tok * cols + c];
                }
                assertEquals(expected, out[tok * rows + r], 1e-4, "token " + tok + " row " + r);
            }
        }
    }

    @Test
    void packedTypesNeedRowsOfWholeBlocks() {
        IllegalArgumentException tq = assertThrows(IllegalArgumentException.class,
                () -> MatrixKernels.scalar().bind(Harness.tensor("t", GgmlType.TQ2_0, 2, 128, new byte[66])));
        assertTrue(tq.getMessage().contains("'t'") && tq.getMessage().contains("128"), tq.getMessage());
        IllegalArgumentException i2 = assertThrows(IllegalArgumentException.class,
                () -> MatrixKernels.scalar().bind(Harness.tensor("i", GgmlType.I2_S, 2, 64, new byte[32 + 32])));
        assertTrue(i2.getMessage().contains("'i'") && i2.getMessage().contains("64"), i2.getMessage());
    }

    @Test
    void i2sNeedsAFiniteScale() {
        byte[] bytes = new byte[2 * 128 / 4 + 32];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(2 * 128 / 4, Float.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatrixKernels.scalar().bind(Harness.tensor("i", GgmlType.I2_S, 2, 128, bytes)));
        assertTrue(e.getMessage().contains("scale NaN"), e.getMessage());
    }

    @Test
    void codeThreeIsCaughtWhenMultiplying() {
        byte[] i2s = new byte[2 * 128 / 4 + 32];
        Arrays.fill(i2s, 0, 64, (byte) 0x55); // all codes 1 (trit 0)
        i2s[32 + 5] = (byte) 0x75; // row 1, byte 5: codes 1, 3, 1, 1 → element 128 + 32 + 5 holds code 3
        ByteBuffer.wrap(i2s).order(ByteOrder.LITTLE_ENDIAN).putFloat(64, 1f);
        WeightMatrix w = MatrixKernels.scalar().bind(Harness.tensor("i", GgmlType.I2_S, 2, 128, i2s));
        for (int tokens = 1; tokens <= 2; tokens++) {
            int n = tokens;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Harness.multiply(w, new float[n * 128], n, 1));
            assertTrue(e.getMessage().contains("code 3 for element 165"), e.getMessage());
        }
        byte[] tq2 = new byte[66];
        tq2[3] = 3; // element 3: code 3
        WeightMatrix t = MatrixKernels.scalar().bind(Harness.tensor("t", GgmlType.TQ2_0, 1, 256, tq2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Harness.multiply(t, new float[256], 1, 1));
        assertTrue(e.getMessage().contains("code 3 for element 3"), e.getMessage());
    }

    @Test
    void onlyMatricesBind() {
        GgufTensor cube = new GgufTensor("cube", GgmlType.F32, new long[] {4, 2, 2}, 16, 0, 64, MemorySegment.ofArray(new byte[64]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatrixKernels.scalar().bind(cube));
        assertTrue(e.getMessage().contains("'cube'") && e.getMessage().contains("[4, 2, 2]"), e.getMessage());
    }
}
