package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.BF16;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.testing.SeededArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-place vectorized BF16 kernel: every finite bfloat16 widened exactly by the product loop (one-hot activations,
 * rows that also use its extra pair of vectors and its scalar tail), infinities and NaNs kept, kernel-order products
 * of random matrices against a double-precision reference, and other orders and embedding rows identical to the bit
 * with the scalar kernel.
 */
class Bf16VectorMatrixTest {
    /** Whole pairs of vectors, one more pair at 512 bits, and a tail of 5, at both widths. */
    private static final int COLS = 101;

    @Test
    void theProductLoopWidensEveryFiniteValueExactly() {
        short[] finite = new short[65536];
        int n = 0;
        for (int h = 0; h < 65536; h++) {
            if (Float.isFinite(BF16.toFloat((short) h))) {
                finite[n++] = (short) h;
            }
        }
        assertEquals(65536 - 2 * 128, n); // all but the all-ones exponents
        int rows = (n + COLS - 1) / COLS;
        short[] padded = new short[rows * COLS]; // zeros after the last value
        System.arraycopy(finite, 0, padded, 0, n);
        WeightMatrix m = bind(rows, COLS, bytes(padded));
        float[] oneHot = new float[COLS * COLS];
        for (int c = 0; c < COLS; c++) {
            oneHot[c * COLS + c] = 1f; // token c picks column c
        }
        float[] got = Harness.multiply(m, oneHot, COLS, ActivationType.F32, KernelOrderReference.FAST, 2);
        for (int i = 0; i < n; i++) {
            // by value: fma(w, 1, +0) turns -0 into +0
            assertEquals(BF16.toFloat(padded[i]), got[(i % COLS) * rows + i / COLS], 0f, String.format("bfloat16 0x%04x", padded[i]));
        }
    }

    @Test
    void infinitiesAndNaNsCarryThrough() {
        int[] at = {3, 70, 99}; // in the vector loop, in the extra pair (at 512 bits), in the tail
        short[] specials = {(short) 0x7F80, (short) 0xFF80, (short) 0x7FC1};
        short[] w = new short[at.length * specials.length * COLS];
        for (int i = 0; i < at.length; i++) {
            for (int s = 0; s < specials.length; s++) {
                int row = i * specials.length + s;
                for (int c = 0; c < COLS; c++) {
                    w[row * COLS + c] = BF16.fromFloat(0.25f);
                }
                w[row * COLS + at[i]] = specials[s];
            }
        }
        int rows = w.length / COLS;
        float[] x = new float[COLS];
        Arrays.fill(x, 1.5f);
        float[] got = Harness.multiply(bind(rows, COLS, bytes(w)), x, 1, ActivationType.F32, KernelOrderReference.FAST, 1);
        for (int i = 0; i < at.length; i++) {
            String where = "column " + at[i];
            assertEquals(Float.POSITIVE_INFINITY, got[i * 3], where);
            assertEquals(Float.NEGATIVE_INFINITY, got[i * 3 + 1], where);
            assertTrue(Float.isNaN(got[i * 3 + 2]), where);
        }
    }

    @ParameterizedTest(name = "{0}×{1}, {2} tokens, {3} threads, {4} activations")
    @CsvSource({"7, 64, 1, 1, F32", "5, 7, 2, 1, F32", "37, 200, 3, 2, BF16", "37, 200, 3, 2, F32", "130, 2560, 2, 2, BF16"})
    void kernelOrderProductsMatchAPlainReference(int rows, int cols, int tokens, int threads, ActivationType as) {
        short[] h = new short[rows * cols];
        float[] w = new float[h.length];
        float[] random = SeededArrays.gaussian(31, h.length, 0.5);
        for (int i = 0; i < h.length; i++) {
            h[i] = BF16.fromFloat(random[i]);
            w[i] = BF16.toFloat(h[i]);
        }
        float[] x = SeededArrays.gaussian(32, tokens * cols, 1);
        float[] xAs = x.clone(); // the activations as the kernel reads them
        if (as == ActivationType.BF16) {
            for (int i = 0; i < xAs.length; i++) {
                xAs[i] = Bfloat16.round(x[i]);
            }
        }
        WeightMatrix m = bind(rows, cols, bytes(h));
        float[] got = Harness.multiply(m, x, tokens, as, KernelOrderReference.FAST, threads);
        KernelOrderReference.assertNear(w, xAs, rows, cols, tokens, 0, rows, got, "BF16");
        KernelOrderReference.assertRowRangeMatches(m, x, tokens, as, rows / 3, rows - rows / 4, got);
    }

    /** A prompt's products (two tokens per weight load, tails, an odd token alone) are each token's one-token product. */
    @ParameterizedTest(name = "{0}×{1}, {2} tokens")
    @CsvSource({"37, 200, 5", "130, 2560, 4", "9, 101, 3"})
    void promptProductsAreEachTokensOneTokenProduct(int rows, int cols, int tokens) {
        float[] random = SeededArrays.gaussian(33, rows * cols, 0.5);
        short[] h = new short[random.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = BF16.fromFloat(random[i]);
        }
        WeightMatrix m = bind(rows, cols, bytes(h));
        float[] x = SeededArrays.gaussian(34, tokens * cols, 1);
        Harness.assertPromptIsEachTokensProduct(m, x, tokens, ActivationType.F32, KernelOrderReference.FAST, 2);
    }

    @Test
    void otherOrdersAndEmbeddingRowsAreTheScalarKernelsToTheBit() {
        int rows = 11;
        int cols = 200;
        int tokens = 3;
        short[] h = new short[rows * cols];
        float[] random = SeededArrays.gaussian(33, h.length, 0.5);
        for (int i = 0; i < h.length; i++) {
            h[i] = BF16.fromFloat(random[i]);
        }
        GgufTensor t = Harness.tensor("w", GgmlType.BF16, rows, cols, bytes(h));
        WeightMatrix m = bind(rows, cols, bytes(h));
        WeightMatrix scalar = MatrixKernels.scalar().bind(t);
        assertEquals(scalar.activationType(), m.activationType());
        float[] x = SeededArrays.gaussian(34, tokens * cols, 1);
        KernelOrderReference.assertOtherOrdersMatch(scalar, m, x, tokens, List.of(ActivationType.F32, ActivationType.BF16), "BF16");
        float[] row = new float[cols + 2];
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, row, 2, new KernelScratch(cols));
            for (int c = 0; c < cols; c++) {
                assertEquals(Float.floatToRawIntBits(BF16.toFloat(h[r * cols + c])), Float.floatToRawIntBits(row[2 + c]), "row " + r + ", column " + c);
            }
        }
    }

    @Test
    void shortDataIsLeftToTheScalarKernel() {
        GgufTensor t = Harness.tensor("w", GgmlType.BF16, 3, 64, new byte[2 * 64 * 2]);
        assertTrue(MatrixKernels.vectorProvider().orElseThrow().bind(t, 3, 64).isEmpty());
        assertInstanceOf(DenseRowMatrix.class, new MatrixKernels(List.of(MatrixKernels.vectorProvider().orElseThrow(), ScalarKernels.INSTANCE)).bind(t));
    }

    private static WeightMatrix bind(int rows, int cols, byte[] bytes) {
        KernelProvider vector = MatrixKernels.vectorProvider().orElseThrow();
        return assertInstanceOf(Bf16VectorMatrix.class,
                vector.bind(Harness.tensor("w", GgmlType.BF16, rows, cols, bytes), rows, cols).orElseThrow());
    }

    private static byte[] bytes(short... h) {
        ByteBuffer b = ByteBuffer.allocate(2 * h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(h);
        return b.array();
    }
}
