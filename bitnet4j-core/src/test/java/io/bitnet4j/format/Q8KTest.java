package io.bitnet4j.format;

import static io.bitnet4j.format.TernaryBlockFormatTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Q8_K properties and hand-derived cases (the peer bytes are checked in {@link TqFixtureTest}). */
class Q8KTest {

    @Test
    void bsumsAreTheSumsOfSixteenValuesAndDequantizeIsWithinHalfAStep() {
        SplittableRandom rnd = new SplittableRandom(21);
        float[] x = new float[768];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * 3);
        }
        byte[] q = Q8_K.quantize(x);
        float[] back = Q8_K.dequantize(q, x.length);
        for (int b = 0; b < 3; b++) {
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int j = 0; j < 16; j++) {
                    sum += Q8_K.value(q, b, g * 16 + j);
                }
                assertEquals(sum, Q8_K.bsum(q, b, g), "block " + b + " group " + g);
            }
            float d = Math.abs(Q8_K.scale(q, b));
            for (int j = 0; j < 256; j++) {
                int i = b * 256 + j;
                assertTrue(Math.abs(back[i] - x[i]) <= 0.5f * d * 1.0001f, "element " + i);
            }
        }
    }

    @Test
    void theLargestMagnitudeLandsOnMinus127AndFixesTheSignOfD() {
        float[] x = new float[256];
        x[3] = 2f;
        x[5] = -9f; // largest magnitude, negative: iscale = −127/−9 > 0, so d > 0 and x[5] → −127
        x[6] = 9f; // same magnitude later: the first occurrence wins
        x[7] = 4.5f; // 4.5 · 127/9 = 63.5 → 64 (ties to even)
        byte[] q = Q8_K.quantize(x);
        assertEquals(1f / (-127f / -9f), Q8_K.scale(q, 0));
        assertEquals(-127, Q8_K.value(q, 0, 5));
        assertEquals(127, Q8_K.value(q, 0, 6));
        assertEquals(64, Q8_K.value(q, 0, 7));
        assertEquals(Math.round(2f * 127f / 9f), Q8_K.value(q, 0, 3));
    }

    @Test
    void anAllZeroBlockIsAllZeroBytes() {
        float[] x = new float[512];
        x[300] = 1f;
        x[10] = -0f;
        byte[] q = Q8_K.quantize(x);
        for (int i = 0; i < Q8_K.BLOCK_BYTES; i++) {
            assertEquals(0, q[i], "byte " + i);
        }
        assertEquals(-1f / 127f, Q8_K.scale(q, 1));
    }

    @Test
    void badInputIsRejected() {
        assertMessage("not a multiple of the block size 256", () -> Q8_K.quantize(new float[300]));
        float[] inf = new float[256];
        inf[9] = Float.POSITIVE_INFINITY;
        assertMessage("index 9", () -> Q8_K.quantize(inf));
        assertMessage("need exactly 292", () -> Q8_K.dequantize(new byte[291], 256));
        assertMessage("Q8_K block 1", () -> Q8_K.scale(new byte[292], 1));
        assertMessage("value index is 256", () -> Q8_K.value(new byte[292], 0, 256));
        assertMessage("bsums index is 16", () -> Q8_K.bsum(new byte[292], 0, 16));
    }
}
