package io.bitnet4j.format;

import static io.bitnet4j.format.TernaryBlockFormatTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.testing.SeededArrays;
import org.junit.jupiter.api.Test;

/** Q8_0 and Q4_0 against hand-made blocks and a plain scalar reference of ggml's rule. */
class Q8_0Test {

    /** ggml's quantize_row_q8_0_ref written out plainly: d = amax/127, codes roundf(x/d) via 1/d. */
    private static byte[] reference(float[] x) {
        byte[] out = new byte[x.length / 32 * 34];
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[32 * b + j]));
            }
            float d = amax / 127;
            float id = d == 0 ? 0 : 1 / d;
            short h = Float.floatToFloat16(d);
            out[34 * b] = (byte) h;
            out[34 * b + 1] = (byte) (h >> 8);
            for (int j = 0; j < 32; j++) {
                float v = x[32 * b + j] * id;
                double r = v < 0 ? -Math.floor(-(double) v + 0.5) : Math.floor((double) v + 0.5); // C roundf
                out[34 * b + 2 + j] = (byte) (int) r;
            }
        }
        return out;
    }

    @Test
    void matchesThePlainReferenceOnSeededData() {
        float[] x = SeededArrays.gaussian(7, 32 * 64, 0.3);
        x[5] = 0f;
        x[40] = -0f;
        for (int j = 64; j < 96; j++) {
            x[j] = 0f; // an all-zero block: d = 0, codes 0
        }
        assertArrayEquals(reference(x), Q8_0.quantize(x));
    }

    @Test
    void handBlockRoundsHalvesAwayFromZero() {
        float[] x = new float[32];
        x[0] = 127f; // amax: d = 1, 1/d = 1
        x[1] = -63.5f; // −63.5 → −64
        x[2] = 0.5f; // → 1
        x[3] = -0.5f; // → −1
        x[4] = 2.49f; // → 2
        byte[] q = Q8_0.quantize(x);
        assertEquals(0x3C00, (q[0] & 0xFF) | (q[1] & 0xFF) << 8); // fp16 1.0
        assertEquals(127, q[2]);
        assertEquals(-64, q[3]);
        assertEquals(1, q[4]);
        assertEquals(-1, q[5]);
        assertEquals(2, q[6]);
        float[] back = Q8_0.dequantize(q, 32);
        assertEquals(-64f, back[1]);
        assertEquals(0f, back[31]);
    }

    @Test
    void dequantizeIsCodeTimesHalfScale() {
        byte[] block = new byte[34];
        block[0] = 0x00; // fp16 0.5 = 0x3800
        block[1] = 0x38;
        block[2] = -128;
        block[3] = 127;
        block[33] = -3;
        float[] v = Q8_0.dequantize(block, 32);
        assertEquals(-64f, v[0]);
        assertEquals(63.5f, v[1]);
        assertEquals(-1.5f, v[31]);
    }

    @Test
    void q4_0NibblesHoldElementsJAndJPlus16() {
        byte[] block = new byte[18];
        block[0] = 0x00;
        block[1] = 0x40; // fp16 2.0
        for (int j = 0; j < 16; j++) {
            block[2 + j] = (byte) ((15 - j) << 4 | j); // low nibble j, high nibble 15 − j
        }
        float[] v = Q4_0.dequantize(block, 32);
        for (int j = 0; j < 16; j++) {
            assertEquals((j - 8) * 2f, v[j], "element " + j);
            assertEquals((15 - j - 8) * 2f, v[j + 16], "element " + (j + 16));
        }
    }

    @Test
    void badInputIsRejected() {
        assertMessage("not a multiple of the block size 32", () -> Q8_0.quantize(new float[40]));
        float[] nan = new float[32];
        nan[3] = Float.NaN;
        assertMessage("index 3", () -> Q8_0.quantize(nan));
        float[] huge = new float[32];
        huge[0] = 127f * 65520f;
        assertMessage("beyond the fp16 range", () -> Q8_0.quantize(huge));
        assertMessage("need exactly 68", () -> Q8_0.dequantize(new byte[34], 64));
        assertMessage("need exactly 18", () -> Q4_0.dequantize(new byte[17], 32));
    }
}
