package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vectorized {@link FloatRows} against plain loops written here: dot products within a bound on float
 * rounding of a double-precision sum, scaled sums element for element exactly (each is one fused multiply-add in
 * both), and the same sum wherever in an array the rows sit.
 */
class FloatRowsTest {
    private final FloatRows vector = FloatRows.defaults();

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 31, 32, 33, 64, 100, 128, 129, 256})
    void dotAgreesWithADoubleSumToRounding(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[] a = random(rnd, n + 5);
        float[] b = random(rnd, n + 9);
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) a[3 + i] * b[7 + i];
            magnitude += Math.abs((double) a[3 + i] * b[7 + i]);
        }
        float got = vector.dot(a, 3, b, 7, n);
        // each of at most n additions rounds by half an ulp of a partial sum bounded by the magnitude
        assertTrue(Math.abs(got - exact) <= n * Math.ulp((float) magnitude), n + ": " + got + " vs " + exact);
        assertEquals(FloatRows.scalar().dot(a, 3, b, 7, n), got, n * Math.ulp((float) magnitude));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 128, 130})
    void addScaledIsOneFusedMultiplyAddPerElement(int n) {
        SplittableRandom rnd = new SplittableRandom(100 + n);
        float[] x = random(rnd, n + 2);
        float[] acc = random(rnd, n + 4);
        float[] expected = acc.clone();
        float p = (float) rnd.nextGaussian();
        for (int i = 0; i < n; i++) {
            expected[4 + i] = Math.fma(p, x[2 + i], expected[4 + i]);
        }
        vector.addScaled(p, x, 2, acc, 4, n);
        for (int i = 0; i < acc.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(acc[i]), "element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 128, 200})
    void theSameRowsGiveTheSameSumAtAnyOffset(int n) {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] a = random(rnd, n);
        float[] b = random(rnd, n);
        float[] shiftedA = new float[n + 11];
        float[] shiftedB = new float[n + 3];
        System.arraycopy(a, 0, shiftedA, 11, n);
        System.arraycopy(b, 0, shiftedB, 3, n);
        assertEquals(Float.floatToRawIntBits(vector.dot(a, 0, b, 0, n)), Float.floatToRawIntBits(vector.dot(shiftedA, 11, shiftedB, 3, n)));
    }

    @org.junit.jupiter.api.Test
    void widenHalvesIsFloat16ToFloatForEveryHalf() {
        int n = 1 << 16;
        java.lang.foreign.MemorySegment halves = java.lang.foreign.Arena.ofAuto().allocate(2L * n + 2);
        for (int h = 0; h < n; h++) {
            halves.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 2 + 2L * h, (short) h);
        }
        for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
            float[] out = new float[n + 1];
            rows.widenHalves(halves, 2, out, 1, n); // odd offsets: the vector loop's tail and alignment
            for (int h = 0; h < n; h++) {
                assertEquals(Float.floatToRawIntBits(Float.float16ToFloat((short) h)), Float.floatToRawIntBits(out[1 + h]),
                        rows + ": half 0x" + Integer.toHexString(h));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void scalarKernelsPropertyGivesTheScalarRows() {
        String old = System.getProperty(MatrixKernels.PROPERTY);
        System.setProperty(MatrixKernels.PROPERTY, "scalar");
        try {
            assertSame(FloatRows.scalar(), FloatRows.defaults());
        } finally {
            if (old == null) {
                System.clearProperty(MatrixKernels.PROPERTY);
            } else {
                System.setProperty(MatrixKernels.PROPERTY, old);
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
