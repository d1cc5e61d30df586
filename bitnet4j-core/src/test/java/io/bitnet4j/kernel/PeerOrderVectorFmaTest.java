package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"TINY_BLAS, AVX512", "TINY_BLAS, AVX2", "VEC_DOT_F16, AVX512", "VEC_DOT_F32, AVX2"})
    void f16ProductsInAPeersOrderAreTheScalarKernels(Summation.Routine routine, GgmlSimd simd) {
        int rows = 19;
        int cols = 2 * 2560 + 40; // a tail after the whole blocks of 64
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
        float[] x = SeededArrays.gaussian(92, 3 * cols, 2);
        float[] expected = Harness.multiply(scalar, x, 3, ActivationType.F16, sum, 2);
        float[] actual = Harness.multiply(vector, x, 3, ActivationType.F16, sum, 2);
        assertEquals(-1, Harness.firstBitDifference(expected, actual));
    }
}
