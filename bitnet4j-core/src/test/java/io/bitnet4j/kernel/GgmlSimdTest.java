package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.testing.SeededArrays;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ggml's float routines: accuracy against exact math, and summation orders on hand-built examples. */
class GgmlSimdTest {

    @ParameterizedTest
    @EnumSource(GgmlSimd.class)
    void expfIsWithinTwoUlpsOfTheExactValue(GgmlSimd simd) {
        SplittableRandom random = new SplittableRandom(21);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) random.nextDouble(-87, 88);
            float exact = (float) Math.exp(x);
            float got = simd.expf(x);
            assertTrue(Math.abs(got - exact) <= 2 * Math.ulp(exact), simd + " expf(" + x + ") = " + got + ", exact " + exact);
        }
        assertEquals(1f, simd.expf(0f));
        assertEquals(0f, simd.expf(-200f));
        assertEquals(0f, simd.expf(Float.NEGATIVE_INFINITY)); // a masked attention score
        assertEquals(Float.POSITIVE_INFINITY, simd.expf(200f));
    }

    @ParameterizedTest
    @EnumSource(GgmlSimd.class)
    void expfHandlesTheSubnormalRangeLikeExp(GgmlSimd simd) {
        for (float x = -103.9f; x < -87f; x += 0.37f) {
            float exact = (float) Math.exp(x);
            assertTrue(Math.abs(simd.expf(x) - exact) <= 2 * Math.ulp(exact), simd + " expf(" + x + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlSimd.class)
    void siluIsCloseToTheExactFunction(GgmlSimd simd) {
        for (float x : SeededArrays.gaussian(22, 10_000, 6)) {
            double exact = x / (1 + Math.exp(-x));
            // expf's 1.5 ulp, 1 + e and the division: a few ulps of the result
            assertEquals(exact, simd.silu(x), 6 * Math.ulp((float) exact) + 1e-30, "silu(" + x + ")");
        }
    }

    @Test
    void horizontalSumPairsLanesFourApartOnAvx2() {
        // 1e8 absorbs a 1 (its ulp is 8): only the pairing (0,4),(2,6),(1,5),(3,7) keeps all six ones
        float[] a = {1e8f, 1, 1, 1, -1e8f, 1, 1, 1};
        assertEquals(6f, GgmlSimd.AVX2.horizontalSum(a, 0, 1));
        float sequential = 0;
        for (float v : a) {
            sequential += v;
        }
        assertEquals(3f, sequential); // what a plain loop would give
    }

    @Test
    void horizontalSumPairsLanesEightApartOnAvx512() {
        float[] a = new float[16];
        Arrays.fill(a, 1f);
        a[0] = 1e8f;
        a[8] = -1e8f;
        assertEquals(14f, GgmlSimd.AVX512.horizontalSum(a, 0, 1));
        float[] strided = new float[32];
        for (int i = 0; i < 16; i++) {
            strided[2 * i + 1] = a[i];
        }
        assertEquals(14f, GgmlSimd.AVX512.horizontalSum(strided, 1, 2));
    }

    @Test
    void vecDotFoldsAccumulatorsZeroAndTwoFirst() {
        // AVX2: accumulators of 8 lanes; element i goes to accumulator (i / 8) % 4, lane i % 8
        float[] x = new float[32];
        float[] ones = new float[32];
        Arrays.fill(ones, 1f);
        x[0] = 1e8f;   // accumulator 0, lane 0
        x[16] = -1e8f; // accumulator 2, lane 0: cancels first
        x[8] = 1f;     // accumulator 1, lane 0
        x[24] = 1f;    // accumulator 3, lane 0
        assertEquals(2f, GgmlSimd.AVX2.vecDot(x, 0, ones, 0, 32, false, new float[32]));
    }

    @ParameterizedTest
    @EnumSource(GgmlSimd.class)
    void dotProductsAgreeWithTheExactSum(GgmlSimd simd) {
        float[] scratch = new float[64];
        for (int n : new int[] {16, 48, 64, 100, 256, 300}) {
            float[] a = SeededArrays.gaussian(23 + n, n, 1);
            float[] b = SeededArrays.gaussian(24 + n, n, 1);
            double exact = 0;
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) a[i] * b[i];
                magnitude += Math.abs((double) a[i] * b[i]);
            }
            double tol = 1e-6 * magnitude;
            assertEquals(exact, simd.vecDot(a, 0, b, 0, n, false, scratch), tol, "vec_dot_f32 n=" + n);
            assertEquals(exact, simd.vecDot(a, 0, b, 0, n, true, scratch), tol, "vec_dot_f16 n=" + n);
            if (n % simd.lanes() == 0) {
                assertEquals(exact, simd.tinyBlasDot(a, 0, b, 0, n, scratch), tol, "tinyBLAS n=" + n);
            }
        }
    }

    @Test
    void dotsAccumulateEachLaneInIndexOrder() {
        // the documented orders, written out element by element: lane l takes the indices i ≡ l in order with fma
        java.util.SplittableRandom r = new java.util.SplittableRandom(91);
        for (GgmlSimd simd : GgmlSimd.values()) {
            for (int n : new int[] {simd.lanes(), 4 * simd.lanes(), 2560, 2560 + 3 * simd.lanes(), 4096 + 5}) {
                float[] a = new float[n];
                float[] b = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) r.nextGaussian();
                    b[i] = (float) r.nextGaussian();
                }
                float[] scratch = new float[4 * simd.lanes()];
                if (n % simd.lanes() == 0) {
                    float[] lanes = new float[simd.lanes()];
                    for (int i = 0; i < n; i++) {
                        lanes[i % simd.lanes()] = Math.fma(a[i], b[i], lanes[i % simd.lanes()]);
                    }
                    assertEquals(Float.floatToIntBits(simd.horizontalSum(lanes, 0, 1)),
                            Float.floatToIntBits(simd.tinyBlasDot(a, 0, b, 0, n, scratch)), simd + " tinyBLAS n=" + n);
                }
                int step = simd.vecDotStep();
                int whole = n - n % step;
                float[] acc = new float[step];
                for (int i = 0; i < whole; i++) {
                    acc[i % step] = Math.fma(a[i], b[i], acc[i % step]);
                }
                float sum = whole > 0 ? simd.reduceFour(acc, 0, 1) : 0f;
                for (int i = whole; i < n; i++) {
                    sum = Math.fma(a[i], b[i], sum);
                }
                assertEquals(Float.floatToIntBits(sum), Float.floatToIntBits(simd.vecDot(a, 0, b, 0, n, false, scratch)),
                        simd + " vec_dot_f32 n=" + n);
            }
        }
    }
}
