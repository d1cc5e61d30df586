package io.bitnet4j.format;

import static io.bitnet4j.format.TernaryBlockFormatTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** F16 and BF16: exhaustive round trips over every 16-bit pattern and hand-derived rounding cases. */
class HalfPrecisionTest {

    private static byte[] le(int... shorts) {
        byte[] b = new byte[2 * shorts.length];
        for (int i = 0; i < shorts.length; i++) {
            b[2 * i] = (byte) shorts[i];
            b[2 * i + 1] = (byte) (shorts[i] >>> 8);
        }
        return b;
    }

    private static int bitsAt(byte[] b, int i) {
        return (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
    }

    @Test
    void everyNonNanHalfDecodesAndEncodesBackToItsBits() {
        int[] all = new int[65536];
        for (int h = 0; h < all.length; h++) {
            all[h] = h;
        }
        float[] f = F16.decode(le(all), all.length);
        byte[] back = F16.encode(f);
        for (int h = 0; h < all.length; h++) {
            boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x03FF) != 0;
            if (nan) {
                assertTrue(Float.isNaN(f[h]), "0x" + Integer.toHexString(h));
            } else {
                assertEquals(h, bitsAt(back, h), "0x" + Integer.toHexString(h));
            }
        }
        assertEquals(1f, f[0x3C00]);
        assertEquals(-2f, f[0xC000]);
        assertEquals(F16.MAX, f[0x7BFF]);
        assertEquals(0x1p-24f, f[0x0001]); // smallest subnormal
    }

    @Test
    void halfRoundsToNearestEvenAndOverflowsAt65520() {
        float ulp = 0x1p-10f; // spacing of halves in [1, 2)
        byte[] b = F16.encode(new float[] {1f + ulp / 2, 1f + 3 * ulp / 2, 1f + ulp / 2 + 0x1p-20f, 65519f, 65520f, -65520f});
        assertEquals(0x3C00, bitsAt(b, 0)); // tie → even (1.0)
        assertEquals(0x3C02, bitsAt(b, 1)); // tie → even (1 + 2 ulp)
        assertEquals(0x3C01, bitsAt(b, 2)); // just above the tie rounds up
        assertEquals(0x7BFF, bitsAt(b, 3));
        assertEquals(0x7C00, bitsAt(b, 4));
        assertEquals(0xFC00, bitsAt(b, 5));
    }

    @Test
    void everyNonNanBfloatRoundTripsExactly() {
        int[] all = new int[65536];
        for (int h = 0; h < all.length; h++) {
            all[h] = h;
        }
        float[] f = BF16.decode(le(all), all.length);
        byte[] back = BF16.encode(f);
        for (int h = 0; h < all.length; h++) {
            assertEquals(Float.intBitsToFloat(h << 16), f[h], 0f, "0x" + Integer.toHexString(h));
            if (!Float.isNaN(f[h])) {
                assertEquals(h, bitsAt(back, h), "0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void bfloatRoundsTheDroppedBitsToNearestEvenAndKeepsNanQuiet() {
        assertEquals((short) 0x3F80, BF16.fromFloat(1f));
        assertEquals((short) 0x3F80, BF16.fromFloat(Float.intBitsToFloat(0x3F808000))); // tie, even stays
        assertEquals((short) 0x3F82, BF16.fromFloat(Float.intBitsToFloat(0x3F818000))); // tie, odd rounds up
        assertEquals((short) 0x3F81, BF16.fromFloat(Float.intBitsToFloat(0x3F808001))); // above the tie
        assertEquals((short) 0x3F80, BF16.fromFloat(Float.intBitsToFloat(0x3F807FFF))); // below the tie
        assertEquals((short) 0x7F80, BF16.fromFloat(Float.MAX_VALUE)); // rounds past the largest bfloat16
        assertEquals((short) 0x0001, BF16.fromFloat(Float.intBitsToFloat(0x00010000))); // subnormals are kept
        short snan = BF16.fromFloat(Float.intBitsToFloat(0x7F800001)); // signalling NaN, payload only in the low bits
        assertEquals(0x7FC0, snan & 0xFFFF);
        assertTrue(Float.isNaN(BF16.toFloat(snan)));
        assertEquals((short) 0xFFC1, BF16.fromFloat(Float.intBitsToFloat(0xFF810000)));
    }

    @Test
    void badLengthsAreRejected() {
        assertMessage("need exactly 6", () -> F16.decode(new byte[5], 3));
        assertMessage("need exactly 4", () -> BF16.decode(new byte[6], 2));
        assertMessage("element count is -1", () -> F16.decode(new byte[0], -1));
        assertArrayEquals(new float[0], BF16.decode(new byte[0], 0));
    }
}
