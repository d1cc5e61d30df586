package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

/**
 * Checks of a vectorized kernel-order product against the plain definition: a double-precision dot of the exactly
 * dequantized weights (decoded by the type's scalar decoder) with the very float activations the kernel read.
 */
final class KernelOrderReference {
    /** The kernels' order. */
    static final Summation FAST = new Summation(Summation.Routine.KERNEL_ORDER, GgmlSimd.AVX512);

    private KernelOrderReference() {}

    /**
     * The largest error a kernel-order float sum of {@code n} terms may have, as a multiple of {@code Σ|w·x|}. With
     * exact weights (the kernels dequantize to the decoder's bits) the only errors are the float additions, and
     * each rounds by at most u = 2<sup>−24</sup> relative; a term goes through at most k of them: the FMAs of its lane
     * (n/L, L ≥ 8 lanes), the adds that merge the kernel's 2–4 partial sums (2), the halving tree of the lanes (log2 16
     * = 4) and the scalar tail of a row that is not whole vectors (under 2·16 FMAs). So the error is below
     * γ<sub>k</sub> = k·u/(1 − k·u) < 1.01·k·u of {@code Σ|w·x|} (Higham's bound for recursive summation), k = n/8 + 38.
     * That is 2·10<sup>−5</sup> of {@code Σ|w·x|} for n = 2560, a twentieth of one average term: a misplaced or
     * misscaled weight would exceed it.
     */
    static double bound(int n) {
        double k = Math.ceil(n / 8.0) + 38;
        return 1.01 * k * 0x1p-24;
    }

    /**
     * Asserts that {@code got[t·rows + r]} for tokens {@code t < tokens} and rows {@code rowFrom ≤ r < rowTo} is
     * within {@link #bound} of the double-precision product of weight row {@code r} of {@code w} (row-major,
     * {@code rows × cols}) with token row {@code t} of {@code x}.
     */
    static void assertNear(float[] w, float[] x, int rows, int cols, int tokens, int rowFrom, int rowTo, float[] got, String what) {
        for (int t = 0; t < tokens; t++) {
            for (int r = rowFrom; r < rowTo; r++) {
                double sum = 0;
                double abs = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) w[r * cols + c] * x[t * cols + c];
                    sum += p;
                    abs += Math.abs(p);
                }
                assertEquals(sum, got[t * rows + r], bound(cols) * abs, what + ": token " + t + ", row " + r);
            }
        }
    }

    /**
     * Multiplies rows {@code rowFrom ≤ r < rowTo} only (one thread's share), into an array that holds a marker
     * elsewhere; asserts those outputs equal {@code full}'s to the bit (a row is computed the same way whatever the
     * split) and that no other output was written.
     */
    static void assertRowRangeMatches(WeightMatrix m, float[] x, int tokens, ActivationType as, int rowFrom, int rowTo,
            float[] full) {
        Activations a = new Activations(x.length);
        a.set(x, tokens, m.cols());
        a.prepare(as);
        float[] out = new float[tokens * m.rows()];
        float marker = -12345.5f;
        Arrays.fill(out, marker);
        m.multiplyRows(a, as, FAST, rowFrom, rowTo, out, 0, new KernelScratch(m.cols()));
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < m.rows(); r++) {
                int i = t * m.rows() + r;
                if (r >= rowFrom && r < rowTo) {
                    assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(out[i]), "token " + t + ", row " + r);
                } else {
                    assertTrue(out[i] == marker, "row " + r + " outside " + rowFrom + ".." + rowTo + " was written");
                }
            }
        }
    }

    /** Asserts that every element has the same bits in both. */
    /**
     * Every peer order (vec_dot_f32, vec_dot_f16, tinyBLAS) with each activation type in {@code types}: {@code m} on two
     * threads gives {@code reference}'s (one thread) results to the bit, as a vector kernel must for any order but its own.
     */
    static void assertOtherOrdersMatch(WeightMatrix reference, WeightMatrix m, float[] x, int tokens, List<ActivationType> types,
            String what) {
        for (Summation.Routine routine : List.of(Summation.Routine.VEC_DOT_F32, Summation.Routine.VEC_DOT_F16, Summation.Routine.TINY_BLAS)) {
            Summation sum = new Summation(routine, GgmlSimd.AVX2);
            for (ActivationType as : types) {
                assertSameBits(Harness.multiply(reference, x, tokens, as, sum, 1), Harness.multiply(m, x, tokens, as, sum, 2),
                        what + " " + routine + " " + as);
            }
        }
    }

    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(-1, Harness.firstBitDifference(expected, actual), what);
    }
}
