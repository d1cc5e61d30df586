package io.bitnet4j.format;

import static io.bitnet4j.format.TernaryBlockFormatTest.assertMessage;
import static io.bitnet4j.format.TernaryBlockFormatTest.randomTrits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** I2_S and its matmul reference: layout by hand, properties, bad input (peer bytes in {@link I2sFixtureTest}). */
class I2sTest {

    @Test
    void layoutByHand() {
        byte[] trits = new byte[128];
        trits[0] = 1; // byte 0 bits 7-6
        trits[32] = -1; // byte 0 bits 5-4
        trits[127] = 1; // 96 + 31: byte 31 bits 1-0
        byte[] packed = I2_S.pack(trits, 0.5f);
        byte[] expected = new byte[32 + 32];
        Arrays.fill(expected, 0, 32, (byte) 0x55);
        expected[0] = (byte) 0x85; // 10 00 01 01
        expected[31] = (byte) 0x56; // 01 01 01 10
        expected[34] = 0x00; // 0.5f = 0x3f000000, little-endian at n/4 = 32
        expected[35] = 0x3f;
        assertArrayEquals(expected, packed);
    }

    @Test
    void packUnpackRoundTripIgnoresPadding() {
        SplittableRandom rnd = new SplittableRandom(31);
        for (int n : new int[] {128, 384, 4096}) {
            byte[] trits = randomTrits(rnd, n);
            byte[] packed = I2_S.pack(trits, 0.02f);
            Arrays.fill(packed, n / 4 + 4, packed.length, (byte) 0xFF); // leftover bytes as llama-quantize leaves
            assertArrayEquals(trits, I2_S.unpackTrits(packed, n));
            assertEquals(0.02f, I2_S.scale(packed, n));
            float[] deq = I2_S.dequantize(packed, n);
            for (int i = 0; i < n; i++) {
                assertEquals(trits[i] * 0.02f, deq[i]);
            }
        }
    }

    @Test
    void quantizeCodesSignsWithTheMicroThreshold() {
        float[] w = new float[128];
        w[0] = 9.9e-7f; // below 1e-6 → 0
        w[1] = -Math.nextUp(1e-6f); // just above 1e-6 → sign
        w[4] = 1e-6f; // the float nearest 1e-6 is just below it → 0
        w[2] = 0.3f;
        w[3] = -0.7f;
        byte[] packed = I2_S.quantize(w);
        assertEquals(0.7f, I2_S.scale(packed, 128));
        assertArrayEquals(new byte[] {0, -1, 1, -1, 0}, Arrays.copyOf(I2_S.unpackTrits(packed, 128), 5));
    }

    @Test
    void weightQuantByHand() {
        // dyadic values, so every sum is exact: Σ|w| = 8 over 128 values → m = 1/16, inv = 16, result t/16
        float[] w = new float[128];
        w[0] = -2f; // −32 → −1
        w[1] = -1f / 64; // −0.25 → −0
        w[2] = 1f / 32; // 0.5 → 0 (ties to even)
        w[3] = 2f;
        w[4] = 0.5f; // 8 → 1
        w[5] = -1f / 32; // −0.5 → −0
        w[6] = 3f / 32; // 1.5 → 2, clamped to 1
        w[7] = 3.328125f; // brings Σ|w| to 8
        float[] t = I2_S.weightQuant(w);
        float[] expected = {-0.0625f, -0f, 0f, 0.0625f, 0.0625f, -0f, 0.0625f, 0.0625f, 0f};
        TqFixtureTest.assertBitsEqual(expected, Arrays.copyOf(t, 9), "weight_quant");
    }

    @Test
    void activationQuantizationByHand() {
        I2sMatmul.Activations a = I2sMatmul.quantizeActivations(new float[] {1f, -0.5f, 0.25f, 0f, 0f, 0f, 0f, 0f}, 4);
        assertEquals(127f, a.scales()[0]);
        assertArrayEquals(new byte[] {127, -64, 32, 0}, Arrays.copyOf(a.q(), 4)); // −63.5 → −64, 31.75 → 32
        assertEquals((float) (127 / 1e-5), a.scales()[1]); // an all-zero token uses the 1e-5 floor
    }

    @Test
    void matmulAgreesWithTheTernaryFormula() {
        SplittableRandom rnd = new SplittableRandom(32);
        int rows = 6;
        int cols = 256;
        byte[] trits = randomTrits(rnd, rows * cols);
        byte[] w = I2_S.pack(trits, 0.0123f);
        float[] x = new float[3 * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        I2sMatmul.Activations a = I2sMatmul.quantizeActivations(x, cols);
        float[] y = I2sMatmul.matmul(w, rows, cols, a);
        for (int t = 0; t < 3; t++) {
            for (int r = 0; r < rows; r++) {
                long sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += trits[r * cols + c] * a.q()[t * cols + c];
                }
                double expected = sum / (double) a.scales()[t] * 0.0123f;
                assertEquals(expected, y[t * rows + r], 1e-6 * Math.abs(expected) + 1e-7, "token " + t + " row " + r);
            }
        }
    }

    @Test
    void conversionToAndFromTernaryWeight() {
        SplittableRandom rnd = new SplittableRandom(33);
        Shape shape = Shape.of(3, 128);
        TernaryWeight w = TernaryWeight.of(shape, Granularity.perTensor(), randomTrits(rnd, shape.size()), new float[] {0.037f});
        TernaryWeight back = I2_S.toTernaryWeight(I2_S.fromTernaryWeight(w), shape);
        assertArrayEquals(w.trits(), back.trits());
        assertArrayEquals(new float[] {0.037f}, back.scales());
        TernaryWeight perRow = TernaryWeight.of(shape, Granularity.perRow(), w.trits(), new float[] {1f, 1f, 2f});
        assertMessage("inside unit 0", () -> I2_S.fromTernaryWeight(perRow));
    }

    /** A code 3 is found, and named, wherever it sits in a run; two of them: the first in element order per byte. */
    @Test
    void aCodeThreeIsNamedAtEveryPosition() {
        for (int element = 0; element < 256; element++) {
            byte[] data = I2_S.pack(new byte[256], 1f); // two runs of code 1
            int run = element / 128;
            int g = element % 32;
            int k = element % 128 / 32;
            data[32 * run + g] |= (byte) (3 << (6 - 2 * k));
            int e = element;
            assertMessage("code 3 for element " + e + ";", () -> I2_S.unpackTrits(data, 256));
            if (element % 128 < 127) { // a second one later in the run does not change which is named
                int later = element + 1;
                data[32 * (later / 128) + later % 32] |= (byte) (3 << (6 - 2 * (later % 128 / 32)));
                int first = later % 32 < g ? later : e; // bytes in order, then the quarters within a byte
                assertMessage("code 3 for element " + first + ";", () -> I2_S.unpackTrits(data, 256));
            }
        }
    }

    @Test
    void badInputIsRejected() {
        assertMessage("not a multiple of the block size 128", () -> I2_S.quantize(new float[64]));
        float[] nan = new float[128];
        nan[100] = Float.NaN;
        assertMessage("index 100", () -> I2_S.quantize(nan));
        assertMessage("index 100", () -> I2_S.weightQuant(nan));
        assertMessage("must be finite", () -> I2_S.pack(new byte[128], Float.POSITIVE_INFINITY));
        assertMessage("need exactly 64", () -> I2_S.unpackTrits(new byte[36], 128));
        byte[] code3 = I2_S.pack(new byte[128], 1f);
        code3[5] = (byte) 0xD5; // bits 7-6 = 3 → element 5
        assertMessage("code 3 for element 5", () -> I2_S.unpackTrits(code3, 128));
        byte[] w = I2_S.pack(new byte[192 * 2], 1f);
        assertMessage("row length 192", () -> I2sMatmul.matmul(w, 2, 192, new float[192]));
        byte[] w2 = I2_S.pack(new byte[256], 1f);
        assertMessage("rows of 128 but the weight has 256", () -> I2sMatmul.matmul(w2, 1, 256, I2sMatmul.quantizeActivations(new float[128], 128)));
        assertMessage("do not split into rows of 3", () -> I2sMatmul.quantizeActivations(new float[4], 3));
    }
}
