package io.bitnet4j.format;

import static io.bitnet4j.format.TernaryBlockFormatTest.assertMessage;
import static io.bitnet4j.format.TernaryBlockFormatTest.randomTrits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.HfPackedTernary.ScaleConvention;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Hugging Face packed layout, written out by hand from the documented rule, plus round trips. */
class HfPackedTernaryTest {

    @Test
    void fourByThreeByHand() {
        // out = 4 → one packed row; weight row k sits at bits 2k..2k+1 as t+1
        byte[] trits = {
            1, 0, -1,
            0, 1, 1,
            -1, -1, 0,
            1, 1, 1,
        };
        // column 0: codes 2,1,0,2 → 2 | 1<<2 | 0<<4 | 2<<6 = 0x86
        // column 1: codes 1,2,0,2 → 1 | 2<<2 | 0<<4 | 2<<6 = 0x89
        // column 2: codes 0,2,1,2 → 0 | 2<<2 | 1<<4 | 2<<6 = 0x98
        byte[] packed = {(byte) 0x86, (byte) 0x89, (byte) 0x98};
        assertArrayEquals(packed, HfPackedTernary.pack(trits, 4, 3));
        assertArrayEquals(trits, HfPackedTernary.unpack(packed, 4, 3));
    }

    @Test
    void rowsAreBandedNotInterleaved() {
        // out = 8 → R = 2 packed rows; weight row o → packed row o % 2, bits 2·(o / 2)
        byte[] trits = {1, -1, 0, 0, 0, 0, 0, 1}; // [8, 1]
        // packed row 0 holds rows 0,2,4,6: codes 2,1,1,1 → 2 | 4 | 16 | 64 = 0x56
        // packed row 1 holds rows 1,3,5,7: codes 0,1,1,2 → 0 | 4 | 16 | 128 = 0x94
        assertArrayEquals(new byte[] {0x56, (byte) 0x94}, HfPackedTernary.pack(trits, 8, 1));
    }

    @Test
    void aShortLastBandLeavesZeroSlotsThatReadingIgnores() {
        // out = 5 → R = 2: rows 0,1 | 2,3 | 4 (slot 2 of packed row 0) | nothing
        byte[] trits = {0, 0, 0, 0, 1};
        byte[] packed = HfPackedTernary.pack(trits, 5, 1);
        assertArrayEquals(new byte[] {0x25, 0x05}, packed); // row 0: 01 | 01<<2 | 10<<4; row 1: 01 | 01<<2
        packed[1] |= (byte) 0xF0; // garbage in the unused slots of packed row 1
        packed[0] |= (byte) 0xC0; // and in slot 3 of packed row 0
        assertArrayEquals(trits, HfPackedTernary.unpack(packed, 5, 1));
    }

    @Test
    void seededRoundTripsOverManyShapes() {
        SplittableRandom rnd = new SplittableRandom(41);
        for (int k = 0; k < 20; k++) {
            int out = 1 + rnd.nextInt(40);
            int in = 1 + rnd.nextInt(30);
            byte[] trits = randomTrits(rnd, out * in);
            byte[] packed = HfPackedTernary.pack(trits, out, in);
            assertEquals(HfPackedTernary.packedRows(out) * in, packed.length);
            assertArrayEquals(trits, HfPackedTernary.unpack(packed, out, in), out + "x" + in);
        }
    }

    @Test
    void scaleConventions() {
        assertEquals(0.037f, ScaleConvention.MULTIPLY.toMultiplier(0.037f));
        assertEquals(0.25f, ScaleConvention.DIVIDE.toMultiplier(4f)); // BitLinear divides by weight_scale
        assertEquals(4f, ScaleConvention.DIVIDE.fromMultiplier(0.25f));
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            float s = (float) (rnd.nextDouble() * 0.1 + 1e-4);
            float back = ScaleConvention.DIVIDE.toMultiplier(ScaleConvention.DIVIDE.fromMultiplier(s));
            assertTrue(Math.abs(back - s) <= Math.ulp(s), s + " came back as " + back);
        }
        assertMessage("finite, nonzero", () -> ScaleConvention.DIVIDE.toMultiplier(0f));
        assertMessage("finite", () -> ScaleConvention.MULTIPLY.toMultiplier(Float.NaN));
    }

    @Test
    void conversionKeepsTritsAndTheMultiplier() {
        SplittableRandom rnd = new SplittableRandom(43);
        Shape shape = Shape.of(12, 7);
        TernaryWeight w = TernaryWeight.of(shape, Granularity.perTensor(), randomTrits(rnd, shape.size()), new float[] {0.5f});
        for (ScaleConvention c : ScaleConvention.values()) {
            HfPackedTernary.Packed p = HfPackedTernary.fromTernaryWeight(w, c);
            assertEquals(c == ScaleConvention.MULTIPLY ? 0.5f : 2f, p.weightScale());
            TernaryWeight back = HfPackedTernary.toTernaryWeight(p.weight(), shape, p.weightScale(), c);
            assertArrayEquals(w.trits(), back.trits());
            assertArrayEquals(new float[] {0.5f}, back.scales());
        }
    }

    @Test
    void badInputIsRejected() {
        assertMessage("needs [2, 3] = 6", () -> HfPackedTernary.unpack(new byte[5], 8, 3));
        assertMessage("code 3 for weight [1, 0]", () -> HfPackedTernary.unpack(new byte[] {0x0D}, 4, 1)); // row 1 = bits 2-3
        assertMessage("trit 2 is -2", () -> HfPackedTernary.pack(new byte[] {0, 0, -2, 0}, 4, 1));
        assertMessage("needs 4", () -> HfPackedTernary.pack(new byte[3], 4, 1));
        assertMessage("must be positive", () -> HfPackedTernary.packedRows(0));
        assertMessage("matrices [out, in]", () -> HfPackedTernary.toTernaryWeight(new byte[4], Shape.of(2, 2, 2), 1f,
                ScaleConvention.MULTIPLY));
    }
}
