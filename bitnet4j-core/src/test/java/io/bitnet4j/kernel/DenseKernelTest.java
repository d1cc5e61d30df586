package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The float kernels against a plain double-precision product written out here. */
class DenseKernelTest {
    private static final int ROWS = 37;
    private static final int COLS = 96;
    private static final int TOKENS = 5;

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16"})
    void multipliesLikeThePlainProductOfTheStoredValues(GgmlType type) {
        float[] w = SeededArrays.gaussian(11, ROWS * COLS, 0.5);
        float[] x = SeededArrays.gaussian(12, TOKENS * COLS, 1.0);
        WeightMatrix m = MatrixKernels.scalar().bind(Harness.tensor("w", type, ROWS, COLS, encode(w, type)));
        float[] stored = storedValues(w, type);
        for (ActivationType as : new ActivationType[] {ActivationType.F32, m.activationType()}) {
            for (Summation.Routine routine : Summation.Routine.values()) {
                float[] out = Harness.multiply(m, x, TOKENS, as, new Summation(routine, GgmlSimd.AVX512), 2);
                for (int t = 0; t < TOKENS; t++) {
                    for (int r = 0; r < ROWS; r++) {
                        double expected = 0;
                        double magnitude = 0;
                        for (int c = 0; c < COLS; c++) {
                            double xi = as == ActivationType.F32 ? x[t * COLS + c] : storedValues(new float[] {x[t * COLS + c]}, type)[0];
                            expected += stored[r * COLS + c] * xi;
                            magnitude += Math.abs(stored[r * COLS + c] * xi);
                        }
                        assertEquals(expected, out[t * ROWS + r], 1e-6 * magnitude,
                                type + " " + as + " " + routine + " token " + t + " row " + r);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16"})
    void dequantizesRowsToTheStoredValues(GgmlType type) {
        float[] w = SeededArrays.uniform(13, ROWS * COLS, 2.0);
        WeightMatrix m = MatrixKernels.scalar().bind(Harness.tensor("w", type, ROWS, COLS, encode(w, type)));
        float[] stored = storedValues(w, type);
        float[] row = new float[COLS];
        for (int r = 0; r < ROWS; r += 7) {
            m.dequantizeRow(r, row, 0, new KernelScratch(COLS));
            assertArrayEquals(Arrays.copyOfRange(stored, r * COLS, (r + 1) * COLS), row, 0f, "row " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16"})
    void resultsDoNotDependOnTheThreadCount(GgmlType type) {
        float[] w = SeededArrays.gaussian(14, ROWS * COLS, 0.5);
        float[] x = SeededArrays.gaussian(15, TOKENS * COLS, 1.0);
        WeightMatrix m = MatrixKernels.scalar().bind(Harness.tensor("w", type, ROWS, COLS, encode(w, type)));
        Summation tiny = new Summation(Summation.Routine.TINY_BLAS, GgmlSimd.AVX2);
        float[] one = Harness.multiply(m, x, TOKENS, m.activationType(), tiny, 1);
        for (int threads = 2; threads <= 4; threads++) {
            assertEquals(-1, Harness.firstBitDifference(one, Harness.multiply(m, x, TOKENS, m.activationType(), tiny, threads)),
                    threads + " threads");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16"})
    void rejectsActivationsOfAnotherWidthAndIntegerForms(GgmlType type) {
        WeightMatrix m = MatrixKernels.scalar().bind(Harness.tensor("w", type, ROWS, COLS, encode(new float[ROWS * COLS], type)));
        assertTrue(!m.accepts(ActivationType.Q8_K) && !m.accepts(ActivationType.I8_PER_ROW));
        Activations wrongWidth = new Activations(2 * (COLS + 1));
        wrongWidth.set(new float[2 * (COLS + 1)], 2, COLS + 1);
        try (WorkerPool pool = new WorkerPool(1)) {
            MatMul mm = new MatMul(pool, COLS + 1);
            float[] out = new float[2 * ROWS];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mm.multiply(m, wrongWidth, ActivationType.F32, Summation.DEFAULT, out, 0));
            assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains(String.valueOf(COLS + 1)), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> mm.multiply(m, wrongWidth, ActivationType.Q8_K, Summation.DEFAULT, out, 0));
            assertTrue(e.getMessage().contains("cannot multiply Q8_K"), e.getMessage());
        }
    }

    /** The values a type stores for {@code w}: rounded to nearest even (exact for F32). */
    static float[] storedValues(float[] w, GgmlType type) {
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = switch (type) {
                case F16 -> Float.float16ToFloat(Float.floatToFloat16(w[i]));
                case BF16 -> bf16(w[i]);
                default -> w[i];
            };
        }
        return out;
    }

    /** Round to nearest even at bit 16, written independently of {@link Bfloat16}. */
    private static float bf16(float f) {
        int bits = Float.floatToIntBits(f);
        int lower = bits & 0xFFFF;
        int upper = bits >>> 16;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1)) {
            upper++;
        }
        return Float.intBitsToFloat(upper << 16);
    }

    static byte[] encode(float[] w, GgmlType type) {
        ByteBuffer b = ByteBuffer.allocate(w.length * (type == GgmlType.F32 ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : w) {
            switch (type) {
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(Float.floatToFloat16(v));
                default -> b.putShort((short) (Float.floatToIntBits(bf16(v)) >>> 16));
            }
        }
        return b.array();
    }
}
