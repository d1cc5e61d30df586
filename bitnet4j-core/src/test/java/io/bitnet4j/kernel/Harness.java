package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;

/** Binds weight bytes to the scalar kernels and multiplies, as a model would, for the kernel tests. */
final class Harness {
    private Harness() {}

    /** A GGUF tensor of {@code rows × cols} over {@code bytes} (a heap segment standing in for a mapped file). */
    static GgufTensor tensor(String name, GgmlType type, int rows, int cols, byte[] bytes) {
        return new GgufTensor(name, type, new long[] {cols, rows}, (long) rows * cols, 0, bytes.length, MemorySegment.ofArray(bytes));
    }

    /** {@code [tokens][rows]} outputs of {@code w · x} on {@code threads} threads. */
    static float[] multiply(WeightMatrix w, float[] x, int tokens, ActivationType as, Summation sum, int threads) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            MatMul mm = new MatMul(pool, w.cols());
            Activations a = new Activations(x.length);
            a.set(x, tokens, w.cols());
            float[] out = new float[tokens * w.rows()];
            mm.multiply(w, a, as, sum, out, 0);
            return out;
        }
    }

    static float[] multiply(WeightMatrix w, float[] x, int tokens, int threads) {
        return multiply(w, x, tokens, w.activationType(), Summation.DEFAULT, threads);
    }

    /**
     * Asserts that multiplying {@code tokens} tokens at once gives, for each token, the floats of multiplying that token
     * alone, to the bit: a prompt's kernels (row blocks, several tokens per weight load) against decoding's.
     */
    static void assertPromptIsEachTokensProduct(WeightMatrix w, float[] x, int tokens, ActivationType as, Summation sum, int threads) {
        int cols = w.cols();
        int rows = w.rows();
        float[] batch = multiply(w, x, tokens, as, sum, threads);
        for (int t = 0; t < tokens; t++) {
            float[] one = multiply(w, java.util.Arrays.copyOfRange(x, t * cols, (t + 1) * cols), 1, as, sum, threads);
            org.junit.jupiter.api.Assertions.assertEquals(-1,
                    firstBitDifference(one, java.util.Arrays.copyOfRange(batch, t * rows, (t + 1) * rows)), "token " + t);
        }
    }

    /** The first index where the float bits differ, or -1. */
    static int firstBitDifference(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return Math.min(expected.length, actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                return i;
            }
        }
        return -1;
    }
}
