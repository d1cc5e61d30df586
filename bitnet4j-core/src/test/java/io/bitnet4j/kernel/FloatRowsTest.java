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

    /** The vector dot product's order written out: per lane, even and odd vectors' chains, their sum, the tree, the tail. */
    @ParameterizedTest
    @ValueSource(ints = {1, 16, 40, 128, 131})
    void dotSumsInItsStatedOrderToTheBit(int n) {
        org.junit.jupiter.api.Assumptions.assumeTrue(vector instanceof VectorFloatRows, "the vector kernels are not in use here");
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.withShape(
                jdk.incubator.vector.VectorShape.forBitSize(VectorWidth.BITS)).length();
        SplittableRandom rnd = new SplittableRandom(500 + n);
        float[] a = random(rnd, n);
        float[] b = random(rnd, n);
        int whole = n - n % lanes;
        int pairs = whole - whole % (2 * lanes);
        float[] sums = new float[lanes];
        for (int l = 0; l < lanes; l++) {
            float even = 0f;
            float odd = 0f;
            for (int i = l; i < pairs; i += 2 * lanes) {
                even = Math.fma(a[i], b[i], even);
                odd = Math.fma(a[i + lanes], b[i + lanes], odd);
            }
            if (pairs < whole) {
                even = Math.fma(a[pairs + l], b[pairs + l], even);
            }
            sums[l] = even + odd;
        }
        for (int half = lanes / 2; half >= 1; half /= 2) {
            for (int l = 0; l < half; l++) {
                sums[l] += sums[l + half];
            }
        }
        float expected = sums[0];
        for (int i = whole; i < n; i++) {
            expected = Math.fma(a[i], b[i], expected);
        }
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(vector.dot(a, 0, b, 0, n)), "n " + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 128, 130})
    void oneWeightedRowIsOneFusedMultiplyAddPerElement(int n) {
        SplittableRandom rnd = new SplittableRandom(100 + n);
        float[] x = random(rnd, n + 2);
        float[] acc = random(rnd, n + 4);
        float[] expected = acc.clone();
        float p = (float) rnd.nextGaussian();
        for (int i = 0; i < n; i++) {
            expected[4 + i] = Math.fma(p, x[2 + i], expected[4 + i]);
        }
        vector.addWeighted(new float[] {p}, 0, 1, x, 2, n + 2, acc, 4, n);
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

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 17, 64, 128, 130})
    void scoresAreTheDotsScaledToTheBitWithTheirMaximum(int n) {
        SplittableRandom rnd = new SplittableRandom(200 + n);
        int count = 37;
        int stride = n + 5;
        float[] q = random(rnd, n + 3);
        float[] keys = random(rnd, 2 + count * stride);
        for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
            float[] out = new float[count + 4];
            float max = rows.scores(q, 3, keys, 2, stride, count, n, 0.125f, out, 4);
            float expectedMax = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < count; j++) {
                float expected = rows.dot(q, 3, keys, 2 + j * stride, n) * 0.125f;
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[4 + j]), rows + " key " + j);
                expectedMax = Math.max(expectedMax, expected);
            }
            assertEquals(expectedMax, max, rows + ": maximum");
            assertEquals(0f, out[3], "nothing written before the scores");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 24, 40, 64, 128, 131})
    void blockTransposedKeysGiveTheSameScoresToTheBit(int n) {
        SplittableRandom rnd = new SplittableRandom(400 + n);
        for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
            int block = rows.keyBlock();
            for (int count : new int[] {1, 15, 16, 33, 100}) {
                int blocks = (count + block - 1) / block;
                int blockStride = n * block + 7; // blocks need not be adjacent
                float[] q = random(rnd, n + 2);
                float[] keysT = random(rnd, 3 + blocks * blockStride);
                float[] keys = new float[count * n]; // the same keys, one row each
                for (int j = 0; j < count; j++) {
                    for (int i = 0; i < n; i++) {
                        keys[j * n + i] = keysT[3 + j / block * blockStride + i * block + j % block];
                    }
                }
                float[] expected = new float[count];
                float expectedMax = rows.scores(q, 2, keys, 0, n, count, n, 0.0883883f, expected, 0);
                float[] got = new float[1 + blocks * block];
                float max = rows.scoresTransposed(q, 2, keysT, 3, blockStride, count, n, 0.0883883f, got, 1);
                for (int j = 0; j < count; j++) {
                    assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(got[1 + j]),
                            rows + ": n " + n + ", " + count + " keys, key " + j);
                }
                assertEquals(Float.floatToRawIntBits(expectedMax), Float.floatToRawIntBits(max), rows + ": maximum of " + count);
            }
        }
    }

    /** Scores in a peer's order from the transposed keys: Summation.dot of each key row, to the bit. */
    @ParameterizedTest
    @ValueSource(ints = {16, 64, 128, 136})
    void peerOrderScoresFromTransposedKeysAreTheDotsToTheBit(int n) {
        SplittableRandom rnd = new SplittableRandom(500 + n);
        for (Summation.Routine routine : new Summation.Routine[] {Summation.Routine.TINY_BLAS, Summation.Routine.VEC_DOT_F16,
                Summation.Routine.VEC_DOT_F32}) {
            for (GgmlSimd simd : new GgmlSimd[] {GgmlSimd.AVX512, GgmlSimd.AVX2}) {
                Summation sum = new Summation(routine, simd);
                for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
                    int block = rows.keyBlock();
                    for (int count : new int[] {1, 15, 16, 33, 100}) {
                        int blocks = (count + block - 1) / block;
                        int blockStride = n * block + 5;
                        float[] q = random(rnd, n + 2);
                        float[] keysT = random(rnd, 3 + blocks * blockStride);
                        float[] key = new float[n];
                        float[] lanes = new float[64];
                        float[] got = new float[1 + blocks * block];
                        float max = rows.peerScoresTransposed(sum, q, 2, keysT, 3, blockStride, count, n, 0.0883883f, got, 1);
                        float expectedMax = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j < count; j++) {
                            for (int i = 0; i < n; i++) {
                                key[i] = keysT[3 + j / block * blockStride + i * block + j % block];
                            }
                            float expected = sum.dot(q, 2, key, 0, n, lanes) * 0.0883883f;
                            expectedMax = Math.max(expectedMax, expected);
                            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got[1 + j]),
                                    rows + ", " + sum + ": n " + n + ", " + count + " keys, key " + j);
                        }
                        assertEquals(Float.floatToRawIntBits(expectedMax), Float.floatToRawIntBits(max), rows + ": maximum of " + count);
                    }
                }
            }
        }
    }

    /** P·V in tinyBLAS's order: lane j mod w's fma chains, then GgmlSimd.horizontalSum, written out here per output. */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 100, 300})
    void tinyBlasWeightedSumsAreThePeersFloatsToTheBit(int n) {
        SplittableRandom rnd = new SplittableRandom(600 + n);
        int width = 128;
        int stride = 3 * width + 16;
        for (GgmlSimd simd : new GgmlSimd[] {GgmlSimd.AVX512, GgmlSimd.AVX2}) {
            for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
                float[] p = random(rnd, n);
                float[] values = random(rnd, 7 + n * stride);
                float[] acc = random(rnd, 16 * width); // whatever it held before
                float[] out = new float[2 + width];
                rows.tinyBlasWeightedSum(simd, p, n, values, 7, stride, width, acc, out, 2);
                int w = simd.lanes();
                for (int d = 0; d < width; d++) {
                    float[] lanes = new float[w];
                    for (int j = 0; j < n; j++) {
                        lanes[j % w] = Math.fma(p[j], values[7 + j * stride + d], lanes[j % w]);
                    }
                    float expected = simd.horizontalSum(lanes, 0, 1);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[2 + d]),
                            rows + ", " + simd + ": " + n + " rows, output " + d);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void gatedActivationsAreTheScalarFormulasToTheBit() {
        SplittableRandom rnd = new SplittableRandom(17);
        int n = 4099; // a tail past the last whole vector
        float[] gate = new float[n + 3];
        float[] up = random(rnd, n + 3);
        for (int i = 0; i < gate.length; i++) {
            gate[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-2, 3)));
        }
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 88.8f, -88.8f, -104f, 1e-40f};
        System.arraycopy(specials, 0, gate, 4, specials.length);
        for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
            float[] relu = gate.clone();
            float[] silu = gate.clone();
            rows.reluSquaredTimes(relu, up, 2, n);
            rows.siluTimes(silu, up, 2, n);
            for (int i = 0; i < gate.length; i++) {
                boolean in = i >= 2 && i < 2 + n;
                float r = gate[i] > 0f ? gate[i] : 0f;
                float expectedRelu = in ? r * r * up[i] : gate[i];
                float expectedSilu = in ? gate[i] / (1.0f + GgmlSimd.AVX512.expf(-gate[i])) * up[i] : gate[i];
                assertEquals(Float.floatToIntBits(expectedRelu), Float.floatToIntBits(relu[i]), rows + ": relu² of " + gate[i]);
                assertEquals(Float.floatToIntBits(expectedSilu), Float.floatToIntBits(silu[i]), rows + ": silu of " + gate[i]);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void q8kBlocksAreTheFormatsQuantizationToTheBit() {
        SplittableRandom rnd = new SplittableRandom(23);
        int blocks = 200;
        float[] x = new float[1 + 256 * blocks];
        for (int b = 0; b < blocks; b++) {
            int at = 1 + 256 * b;
            double magnitude = Math.pow(10, rnd.nextInt(-6, 5));
            for (int i = 0; i < 256; i++) {
                x[at + i] = switch (b % 5) {
                    case 0 -> 0f; // an all-zero block
                    case 1 -> (float) (rnd.nextInt(-254, 255) / 2.0); // halves: rint's ties, with max ±127 at best
                    default -> (float) (rnd.nextGaussian() * magnitude);
                };
            }
            if (b % 5 == 2) { // the largest magnitude twice, with both signs: the first one's sign counts
                x[at + 17] = 1e6f;
                x[at + 200] = -1e6f;
                x[at + 3] = -0f;
            }
            if (b % 10 == 3) {
                x[at + rnd.nextInt(256)] = b % 20 == 3 ? Float.NaN : Float.NEGATIVE_INFINITY;
            }
        }
        for (int b = 0; b < blocks; b++) {
            int at = 1 + 256 * b;
            byte[] expected = new byte[256];
            float expectedScale = io.bitnet4j.format.Q8_K.quantizeBlock(x, at, expected, 0);
            for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
                byte[] qs = new byte[258];
                int[] sums = new int[9];
                float scale = rows.quantizeQ8KBlock(x, at, qs, 2, sums, 1);
                assertEquals(Float.floatToIntBits(expectedScale), Float.floatToIntBits(scale), rows + ": block " + b + " scale");
                for (int i = 0; i < 256; i++) {
                    assertEquals(expected[i], qs[2 + i], rows + ": block " + b + " value " + i);
                }
                for (int g = 0; g < 8; g++) {
                    int sum = 0;
                    for (int i = 0; i < 32; i++) {
                        sum += expected[32 * g + i];
                    }
                    assertEquals(sum, sums[1 + g], rows + ": block " + b + " sum " + g);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2560, 6912, 100})
    void int8RowsAreBitnetCppsQuantizationToTheBit(int cols) {
        SplittableRandom rnd = new SplittableRandom(cols);
        for (int trial = 0; trial < 20; trial++) {
            float[] x = new float[3 + cols];
            double magnitude = Math.pow(10, rnd.nextInt(-7, 5));
            for (int i = 0; i < x.length; i++) {
                x[i] = trial % 4 == 1 ? (float) (rnd.nextInt(-254, 255) / 2.0) : (float) (rnd.nextGaussian() * magnitude);
            }
            if (trial == 2) {
                java.util.Arrays.fill(x, 0f);
            }
            if (trial == 3) {
                x[3 + cols / 2] = Float.NaN;
            }
            byte[] expected = new byte[cols];
            float expectedScale = io.bitnet4j.format.I2sMatmul.quantizeRow(x, 3, cols, expected, 0);
            int expectedSum = 0;
            for (byte b : expected) {
                expectedSum += b;
            }
            for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
                byte[] q = new byte[cols + 1];
                int[] sums = new int[2];
                float scale = rows.quantizeI8Row(x, 3, cols, q, 1, sums, 1);
                assertEquals(Float.floatToIntBits(expectedScale), Float.floatToIntBits(scale), rows + ": trial " + trial + " scale");
                for (int i = 0; i < cols; i++) {
                    assertEquals(expected[i], q[1 + i], rows + ": trial " + trial + " value " + i);
                }
                assertEquals(expectedSum, sums[1], rows + ": trial " + trial + " sum");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void expShiftedIsGgmlsExpfToTheBit() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 1 << 16;
        float[] x = new float[n + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) { // the whole range of scores, around the saturation and subnormal edges too
                case 0 -> (float) rnd.nextDouble(-140, 100);
                case 1 -> (float) rnd.nextDouble(-20, 1);
                case 2 -> (float) rnd.nextDouble(-134, -86);
                default -> (float) (rnd.nextBoolean() ? rnd.nextDouble(86, 90) : rnd.nextDouble(-1e-3, 1e-3));
            };
        }
        float[] specials = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 0f, -0f, -87.33655f, 88.72284f,
            -103.27893f, -132.5f, -133.2f, 89f, 133f, -1e30f, 1e30f, Float.MIN_VALUE, -Float.MAX_VALUE};
        System.arraycopy(specials, 0, x, 5, specials.length);
        for (float shift : new float[] {0f, 3.5f, -2.25f}) {
            for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
                float[] got = x.clone();
                rows.expShifted(got, 1, n, shift); // an odd offset and a tail past the last whole vector
                for (int i = 0; i < x.length; i++) {
                    float expected = i >= 1 && i < 1 + n ? GgmlSimd.AVX512.expf(x[i] - shift) : x[i];
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got[i]),
                            rows + ": expf(" + x[i] + " - " + shift + ") at " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 64, 65, 128, 130})
    void addWeightedIsOneFusedMultiplyAddPerRowAndElementToTheBit(int n) {
        SplittableRandom rnd = new SplittableRandom(300 + n);
        int count = 41;
        int stride = n + 3;
        float[] p = random(rnd, count + 2);
        float[] x = random(rnd, 1 + count * stride);
        float[] start = random(rnd, n + 6);
        for (FloatRows rows : new FloatRows[] {vector, FloatRows.scalar()}) {
            float[] expected = start.clone();
            for (int j = 0; j < count; j++) { // the rows in order, each element one fused multiply-add
                for (int i = 0; i < n; i++) {
                    expected[5 + i] = Math.fma(p[2 + j], x[1 + j * stride + i], expected[5 + i]);
                }
            }
            float[] got = start.clone();
            rows.addWeighted(p, 2, count, x, 1, stride, got, 5, n);
            for (int i = 0; i < got.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]), rows + " element " + i);
            }
        }
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
