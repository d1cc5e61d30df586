package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vectorized F16 kernel: its integer widening against {@link Float#float16ToFloat} on all 65536 halves
 * (subnormals, infinities and NaN payloads included), the product loop's own copy of it through one-hot
 * activations (each output is then exactly one weight), and products of random matrices against a plain
 * double-precision reference.
 */
class F16VectorMatrixTest {
    private static final Summation FAST = new Summation(Summation.Routine.KERNEL_ORDER, GgmlSimd.AVX512);

    @Test
    void widensEveryHalfExactly() {
        byte[] bytes = allHalves();
        float[] got = new float[65536];
        F16VectorMatrix.widen(MemorySegment.ofArray(bytes), 0, got, 0, 65536);
        for (int h = 0; h < 65536; h++) {
            assertEquals(Float.floatToRawIntBits(Float.float16ToFloat((short) h)), Float.floatToRawIntBits(got[h]),
                    String.format("half 0x%04x", h));
        }
        float[] odd = new float[37]; // a length that leaves a scalar tail
        F16VectorMatrix.widen(MemorySegment.ofArray(bytes), 2 * 0x3c00, odd, 0, odd.length);
        for (int i = 0; i < odd.length; i++) {
            assertEquals(Float.float16ToFloat((short) (0x3c00 + i)), odd[i]);
        }
    }

    @Test
    void theProductLoopWidensEveryFiniteHalfExactly() {
        short[] finite = new short[63488]; // every half but the 2048 infinities and NaNs
        int n = 0;
        for (int h = 0; h < 65536; h++) {
            if (Float.isFinite(Float.float16ToFloat((short) h))) {
                finite[n++] = (short) h;
            }
        }
        assertEquals(finite.length, n);
        assertTrue(F16VectorMatrix.allFinite(MemorySegment.ofArray(halves(finite)), n));
        assertFalse(F16VectorMatrix.allFinite(MemorySegment.ofArray(allHalves()), 65536));
        int cols = 64; // whole pairs of vectors at 256 and 512 bits: every half goes through the vector loop
        int rows = n / cols;
        WeightMatrix m = bind(rows, cols, halves(finite));
        float[] oneHot = new float[cols * cols];
        for (int t = 0; t < cols; t++) {
            oneHot[t * cols + t] = 1f; // token t picks column t
        }
        float[] got = Harness.multiply(m, oneHot, cols, ActivationType.F32, FAST, 2);
        for (int i = 0; i < n; i++) {
            // fma(w, 1, +0): -0 comes out as +0, hence a comparison by value
            assertEquals(Float.float16ToFloat(finite[i]), got[(i % cols) * rows + i / cols], 0f, String.format("half 0x%04x", finite[i]));
        }
    }

    @Test
    void matricesHoldingInfinitiesOrNaNsStillMultiplyCorrectly() {
        WeightMatrix s = bind(4, 1, halves((short) 0x7c00, (short) 0xfc00, (short) 0x7e00, (short) 0x0001));
        float[] out = Harness.multiply(s, new float[] {2f}, 1, ActivationType.F32, FAST, 1);
        assertEquals(Float.POSITIVE_INFINITY, out[0]);
        assertEquals(Float.NEGATIVE_INFINITY, out[1]);
        assertTrue(Float.isNaN(out[2]));
        assertEquals(2 * 0x1p-24f, out[3]);
    }

    /**
     * The kernel folds the widening's 2^112 into the activations; float32 activations too large for that (it then
     * scales by less and multiplies the sums back) or tiny ones still give the plain products.
     */
    @ParameterizedTest(name = "activations × {0}")
    @CsvSource({"1e6", "3e30", "1e-30"})
    void largeAndTinyFloatActivations(double xScale) {
        int rows = 9;
        int cols = 96;
        short[] h = randomHalves(43, rows * cols);
        float[] x = SeededArrays.gaussian(44, 2 * cols, xScale);
        float[] got = Harness.multiply(bind(rows, cols, halves(h)), x, 2, ActivationType.F32, FAST, 1);
        for (int t = 0; t < 2; t++) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                double abs = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) Float.float16ToFloat(h[r * cols + c]) * x[t * cols + c];
                    sum += p;
                    abs += Math.abs(p);
                }
                assertEquals(sum, got[t * rows + r], 1e-6 * abs, "token " + t + ", row " + r);
            }
        }
    }

    /**
     * A prompt's products (row blocks, tokens two at a time, an odd one alone) are each token's one-token product to
     * the bit: a batch and token-by-token decoding give the same fast-numerics logits.
     */
    @ParameterizedTest(name = "{0}×{1}, {2} tokens, {3} threads")
    @CsvSource({"130, 2560, 5, 2", "300, 200, 4, 1", "40, 16384, 3, 2"})
    void promptProductsAreEachTokensOneTokenProduct(int rows, int cols, int tokens, int threads) {
        short[] h = randomHalves(43, rows * cols);
        float[] x = SeededArrays.gaussian(44, tokens * cols, 2);
        WeightMatrix m = bind(rows, cols, halves(h));
        Harness.assertPromptIsEachTokensProduct(m, x, tokens, ActivationType.F16, FAST, threads);
    }

    @ParameterizedTest(name = "{0}×{1}, {2} tokens, {3} threads")
    @CsvSource({"7, 64, 1, 1", "37, 200, 3, 2", "130, 2560, 2, 2"})
    void productsMatchAPlainReference(int rows, int cols, int tokens, int threads) {
        short[] h = randomHalves(41, rows * cols);
        float[] x = SeededArrays.gaussian(42, tokens * cols, 1);
        WeightMatrix m = bind(rows, cols, halves(h));
        float[] got = Harness.multiply(m, x, tokens, ActivationType.F16, FAST, threads);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                double abs = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) Float.float16ToFloat(h[r * cols + c]) * Float.float16ToFloat(Float.floatToFloat16(x[t * cols + c]));
                    sum += p;
                    abs += Math.abs(p);
                }
                assertEquals(sum, got[t * rows + r], 1e-6 * abs + 1e-30, "token " + t + ", row " + r);
            }
        }
        float[] exact = Harness.multiply(new DenseRowMatrix("w", GgmlType.F16, rows, cols, MemorySegment.ofArray(halves(h)),
                FloatRowDecoders.F16, ActivationType.F16), x, tokens, ActivationType.F16, Summation.DEFAULT, 1);
        assertEquals(-1, Harness.firstBitDifference(exact, Harness.multiply(m, x, tokens, ActivationType.F16, Summation.DEFAULT, threads)),
                "a peer's order goes to the scalar kernel");
        float[] row = new float[cols];
        m.dequantizeRow(rows - 1, row, 0, new KernelScratch(cols));
        for (int c = 0; c < cols; c++) {
            assertEquals(Float.float16ToFloat(h[(rows - 1) * cols + c]), row[c]);
        }
    }

    private static WeightMatrix bind(int rows, int cols, byte[] bytes) {
        KernelProvider vector = MatrixKernels.vectorProvider().orElseThrow();
        return assertInstanceOf(F16VectorMatrix.class,
                vector.bind(Harness.tensor("w", GgmlType.F16, rows, cols, bytes), rows, cols).orElseThrow());
    }

    private static byte[] allHalves() {
        short[] h = new short[65536];
        for (int i = 0; i < h.length; i++) {
            h[i] = (short) i;
        }
        return halves(h);
    }

    /** {@code n} halves of Gaussian values (σ 0.5). */
    private static short[] randomHalves(long seed, int n) {
        float[] w = SeededArrays.gaussian(seed, n, 0.5);
        short[] h = new short[n];
        for (int i = 0; i < n; i++) {
            h[i] = Float.floatToFloat16(w[i]);
        }
        return h;
    }

    private static byte[] halves(short... h) {
        ByteBuffer b = ByteBuffer.allocate(2 * h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(h);
        return b.array();
    }
}
