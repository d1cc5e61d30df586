package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The optional int8 copy of F16 matrices: every copied weight within half a quantization step of the original,
 * kernel-order products equal to a plain double-precision product of the copied weights, a peer's order and
 * embedding rows served by the F16 original.
 */
class Int8CopyMatrixTest {
    private static final Summation FAST = new Summation(Summation.Routine.KERNEL_ORDER, GgmlSimd.AVX512);

    @ParameterizedTest(name = "{0}×{1}, {2} tokens, {3} threads")
    @CsvSource({"7, 64, 1, 1", "5, 96, 2, 1", "37, 256, 3, 2", "130, 2560, 2, 2"}) // 96: an odd block count
    void copiesWithinHalfAStepAndMultipliesTheCopy(int rows, int cols, int tokens, int threads) {
        float[] w = SeededArrays.gaussian(51, rows * cols, 0.5);
        byte[] bytes = halves(w);
        float[] original = widened(bytes);
        Int8CopyMatrix m = copyOf(bytes, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < cols / 32; b++) {
                float max = blockMax(original, r * cols + 32 * b);
                for (int j = 0; j < 32; j++) {
                    int c = 32 * b + j;
                    assertEquals(original[r * cols + c], m.copiedValue(r, c), max / 127 / 2 * 1.0001, "weight " + r + "," + c);
                }
            }
        }
        float[] x = SeededArrays.gaussian(52, tokens * cols, 1);
        float[] got = Harness.multiply(m, x, tokens, ActivationType.F16, FAST, threads);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                double abs = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) m.copiedValue(r, c) * Float.float16ToFloat(Float.floatToFloat16(x[t * cols + c]));
                    sum += p;
                    abs += Math.abs(p);
                }
                assertEquals(sum, got[t * rows + r], 1e-6 * abs + 1e-30, "token " + t + ", row " + r);
            }
        }
        WeightMatrix exact = new DenseRowMatrix("w", GgmlType.F16, rows, cols, MemorySegment.ofArray(bytes),
                FloatRowDecoders.F16, ActivationType.F16);
        assertEquals(-1, Harness.firstBitDifference(Harness.multiply(exact, x, tokens, ActivationType.F16, Summation.DEFAULT, 1),
                Harness.multiply(m, x, tokens, ActivationType.F16, Summation.DEFAULT, threads)));
        float[] row = new float[cols];
        m.dequantizeRow(rows - 1, row, 0, new KernelScratch(cols));
        for (int c = 0; c < cols; c++) {
            assertEquals(original[(rows - 1) * cols + c], row[c]);
        }
    }

    /**
     * The copy's codes are {@code Math.round(w · (1/d))} with {@code d = max|w|/127} per block, exactly: random
     * weights, and blocks whose largest weight is 127 (so {@code d = 1}) holding every tie {@code k + ½} and the
     * halves just beside it, where a rounding shortcut (such as adding ½ and truncating) would differ.
     */
    @org.junit.jupiter.api.Test
    void codesAreMathRoundOfTheScaledWeights() {
        int cols = 256;
        java.util.List<Float> ties = new java.util.ArrayList<>();
        for (int k = 0; k < 127; k++) {
            for (float v : new float[] {k + 0.5f, Math.nextDown(Float.float16ToFloat(Float.floatToFloat16(k + 0.5f))), k + 0.25f}) {
                float h = Float.float16ToFloat(Float.floatToFloat16(v));
                ties.add(h);
                ties.add(-h);
            }
        }
        int tieRows = (ties.size() + 30) / 31 / (cols / 32) + 1;
        int rows = tieRows + 20;
        float[] w = SeededArrays.gaussian(53, rows * cols, 0.3);
        int next = 0;
        for (int r = 0; r < tieRows; r++) {
            for (int b = 0; b < cols / 32; b++) {
                w[r * cols + 32 * b] = (b & 1) == 0 ? 127f : -127f; // d = 1
                for (int j = 1; j < 32; j++) {
                    w[r * cols + 32 * b + j] = ties.get(next++ % ties.size());
                }
            }
        }
        byte[] bytes = halves(w);
        float[] original = widened(bytes);
        Int8CopyMatrix m = copyOf(bytes, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < cols / 32; b++) {
                float max = blockMax(original, r * cols + 32 * b);
                float d = max / 127f;
                float inv = d == 0f ? 0f : 1f / d;
                for (int j = 0; j < 32; j++) {
                    int c = 32 * b + j;
                    assertEquals(Math.round(original[r * cols + c] * inv), m.copiedCode(r, c),
                            "weight " + r + "," + c + " = " + original[r * cols + c] + ", d = " + d);
                }
            }
        }
    }

    /** {@code w} rounded to halves, as a little-endian F16 tensor's bytes. */
    private static byte[] halves(float[] w) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : w) {
            bytes.putShort(Float.floatToFloat16(v));
        }
        return bytes.array();
    }

    /** The weights of F16 tensor bytes, as floats. */
    private static float[] widened(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] w = new float[bytes.length / 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = Float.float16ToFloat(b.getShort(2 * i));
        }
        return w;
    }

    /** The int8 copy the vector kernels make of a {@code rows × cols} F16 tensor. */
    private static Int8CopyMatrix copyOf(byte[] bytes, int rows, int cols) {
        KernelProvider vector = MatrixKernels.vectorProvider(true).orElseThrow();
        return assertInstanceOf(Int8CopyMatrix.class, vector.bind(Harness.tensor("w", GgmlType.F16, rows, cols, bytes), rows, cols).orElseThrow());
    }

    /** The largest magnitude of the 32 weights from {@code w[at]}. */
    private static float blockMax(float[] w, int at) {
        float max = 0;
        for (int j = 0; j < 32; j++) {
            max = Math.max(max, Math.abs(w[at + j]));
        }
        return max;
    }
}
