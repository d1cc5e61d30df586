package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vectorized fma chains of the peers' float dot products give the plain-Java chains' floats, bit for bit, at every
 * width the routines use (8 and 16 lanes for tinyBLAS, 32 and 64 for ggml_vec_dot_*), whatever our vector width.
 */
class PeerOrderVectorFmaTest {
    @ParameterizedTest(name = "width {0}, {1} values")
    @CsvSource({"8, 2560", "16, 2560", "32, 2560", "64, 2560", "64, 64", "16, 6912", "64, 6912"})
    void chainsAreThePlainJavaFloats(int width, int n) {
        float[] a = SeededArrays.gaussian(width, n + 5, 1);
        float[] b = SeededArrays.gaussian(n, n + 7, 3);
        float[] expected = new float[64];
        float[] actual = new float[64];
        for (int lane = 0; lane < width; lane++) { // chains already under way
            expected[lane] = actual[lane] = lane * 0.37f - 3f;
        }
        GgmlSimd.LaneFma.SCALAR.accumulate(a, 5, b, 7, n, width, expected);
        PeerOrderVectorFma.INSTANCE.accumulate(a, 5, b, 7, n, width, actual);
        for (int lane = 0; lane < 64; lane++) {
            assertEquals(Float.floatToRawIntBits(expected[lane]), Float.floatToRawIntBits(actual[lane]), "lane " + lane);
        }
    }

    @ParameterizedTest(name = "width {0}, {1} values")
    @CsvSource({"16, 2560", "32, 2560", "64, 6912", "16, 16"})
    void fourInterleavedChainsAreThePlainJavaFloats(int width, int n) {
        assertTrue(PeerOrderVectorFma.interleaves(width), "tinyBLAS's 16 lanes and vec_dot's 32 and 64 are whole vectors at 256 and 512 bits");
        float[] a = SeededArrays.gaussian(width + 1, n + 5, 1);
        float[] b = SeededArrays.gaussian(n + 2, 4 * n + 9, 3);
        float[] expected = new float[4 * width];
        float[] actual = new float[4 * width];
        for (int i = 0; i < 4 * width; i++) { // chains already under way
            expected[i] = actual[i] = i * 0.37f - 3f;
        }
        for (int j = 0; j < 4; j++) {
            float[] one = java.util.Arrays.copyOfRange(expected, j * width, (j + 1) * width);
            GgmlSimd.LaneFma.SCALAR.accumulate(a, 5, b, 9 + j * n, n, width, one);
            System.arraycopy(one, 0, expected, j * width, width);
        }
        PeerOrderVectorFma.INSTANCE.accumulateFour(a, 5, b, 9, n, n, width, actual);
        for (int i = 0; i < 4 * width; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "token " + i / width + ", lane " + i % width);
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2} columns, {3} tokens")
    @CsvSource({"TINY_BLAS, AVX512, 5160, 3", "TINY_BLAS, AVX2, 5160, 3", "VEC_DOT_F16, AVX512, 5160, 3", "VEC_DOT_F32, AVX2, 5160, 3",
            "TINY_BLAS, AVX512, 2560, 9", "TINY_BLAS, AVX2, 2560, 9", "TINY_BLAS, AVX512, 16384, 6"})
    void f16ProductsInAPeersOrderAreTheScalarKernels(Summation.Routine routine, GgmlSimd simd, int cols, int tokens) {
        int rows = 19;
        short[] halves = new short[rows * cols];
        float[] w = SeededArrays.gaussian(91, halves.length, 0.5);
        for (int i = 0; i < halves.length; i++) {
            halves[i] = Float.floatToFloat16(w[i]);
        }
        MemorySegment data = MemorySegment.ofArray(halves);
        DenseRowMatrix scalar = new DenseRowMatrix("w", GgmlType.F16, rows, cols, data,
                FloatRowDecoders.F16, ActivationType.F16);
        F16VectorMatrix vector = new F16VectorMatrix("w", rows, cols, data);
        Summation sum = new Summation(routine, simd);
        float[] x = SeededArrays.gaussian(92, tokens * cols, 2);
        float[] expected = Harness.multiply(scalar, x, tokens, ActivationType.F16, sum, 2);
        float[] actual = Harness.multiply(vector, x, tokens, ActivationType.F16, sum, 2);
        assertEquals(-1, Harness.firstBitDifference(expected, actual));
    }
}
