package io.bitnet4j.quant.qat;

import static io.bitnet4j.quant.qat.QatData.EVEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.ste.ClipRange;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantSpecTest {

    @Test
    void codeRanges() {
        assertEquals(-128, new QuantSpec(8, true, true, false).qmin());
        assertEquals(127, new QuantSpec(8, true, true, false).qmax());
        assertEquals(0, new QuantSpec(8, false, false, false).qmin());
        assertEquals(255, new QuantSpec(8, false, false, false).qmax());
        assertEquals(-127, new QuantSpec(8, true, true, true).qmin());
        assertEquals(-1, new QuantSpec(2, true, true, true).qmin(), "signed narrow 2-bit is ternary");
        assertEquals(1, new QuantSpec(2, true, true, true).qmax());
        assertEquals(1, new QuantSpec(8, false, false, true).qmin());
        assertEquals(65535, new QuantSpec(16, false, false, false).qmax());
        assertEquals(-32768, new QuantSpec(16, false, true, false).qmin());
    }

    @Test
    void bitsOutOfRangeAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QuantSpec(1, true, true, false))
                .getMessage().contains("bit width is 1; must be in 2..16"));
        assertThrows(IllegalArgumentException.class, () -> new QuantSpec(17, true, true, false));
        assertThrows(IllegalArgumentException.class, () -> new QuantSpec(0, false, false, false));
    }

    @Test
    void handDerivedParameters() {
        // affine uint8 over [-1, 3]: scale 4/255, zero point 0 - round(-1 / (4/255)) = round(63.75) = 64
        QParams affine = new QuantSpec(8, false, false, false).qparams(-1, 3);
        assertEquals(4f / 255, affine.scale(), 1e-7);
        assertEquals(64, affine.zeroPoint());
        // symmetric int8 over [-1, 3]: scale 3 / 127.5, zero point 0
        QParams sym = new QuantSpec(8, true, true, false).qparams(-1, 3);
        assertEquals(3 / 127.5, sym.scale(), 1e-7);
        assertEquals(0, sym.zeroPoint());
        // symmetric uint8: zero point at the centre code 128
        assertEquals(128, new QuantSpec(8, true, false, false).qparams(-1, 3).zeroPoint());
        // narrow signed symmetric: scale max|x| / 127
        assertEquals(3f / 127, new QuantSpec(8, true, true, true).qparams(-1, 3).scale(), 1e-7);
        // a range not containing 0 is widened to it: [2, 5] affine int8 -> [0, 5], zero point qmin
        QParams positive = new QuantSpec(8, false, true, false).qparams(2, 5);
        assertEquals(-128, positive.zeroPoint());
        assertEquals(5f / 255, positive.scale(), 1e-7);
    }

    @Test
    void roundTripErrorIsAtMostHalfAStepInsideTheRangeForEveryScheme() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int bits : new int[] {2, 3, 4, 8, 12, 16}) {
            for (boolean symmetric : new boolean[] {true, false}) {
                for (boolean signed : new boolean[] {true, false}) {
                    for (boolean narrow : new boolean[] {true, false}) {
                        QuantSpec spec = new QuantSpec(bits, symmetric, signed, narrow);
                        for (int trial = 0; trial < 20; trial++) {
                            float a = (float) rng.nextDouble(-50, 50);
                            float b = (float) rng.nextDouble(-50, 50);
                            QParams p = spec.qparams(Math.min(a, b), Math.max(a, b));
                            ClipRange r = p.clipRange();
                            assertEquals(0f, p.fakeQuantize(0f, EVEN), spec + ": zero must be exact");
                            for (int k = 0; k < 50; k++) {
                                float x = (float) rng.nextDouble(r.lo(), r.hi());
                                float err = Math.abs(p.fakeQuantize(x, EVEN) - x);
                                assertTrue(err <= p.scale() / 2 * (1 + 1e-5) + Math.ulp(x), spec + " " + p + " x=" + x + " err=" + err);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void extremeRangesKeepTheZeroPointInRange() {
        for (boolean signed : new boolean[] {true, false}) {
            QuantSpec spec = new QuantSpec(8, false, signed, false);
            QParams tinyNeg = spec.qparams(-1e-9f, 1e9f);
            assertEquals(spec.qmin(), tinyNeg.zeroPoint());
            assertEquals(spec.qmax(), tinyNeg.quantize(1e9f, EVEN));
            assertEquals(1e9f, tinyNeg.fakeQuantize(1e9f, EVEN), 1e9f * 1e-6f);
            QParams tinyPos = spec.qparams(-1e9f, 1e-9f);
            assertEquals(spec.qmax(), tinyPos.zeroPoint());
            assertEquals(spec.qmin(), tinyPos.quantize(-1e9f, EVEN));
            QParams huge = spec.qparams(-Float.MAX_VALUE / 2, Float.MAX_VALUE / 2);
            assertTrue(huge.zeroPoint() >= spec.qmin() && huge.zeroPoint() <= spec.qmax());
            assertEquals(spec.qmax(), huge.quantize(Float.MAX_VALUE, EVEN));
            assertEquals(spec.qmin(), huge.quantize(-Float.MAX_VALUE, EVEN));
        }
    }

    @Test
    void allZeroAndAllEqualRanges() {
        for (boolean symmetric : new boolean[] {true, false}) {
            QuantSpec spec = new QuantSpec(8, symmetric, false, false);
            QParams zero = spec.qparams(0, 0);
            assertEquals(QParams.MIN_SCALE, zero.scale());
            assertEquals(0f, zero.fakeQuantize(0, EVEN));
            QParams fives = spec.qparams(5, 5);
            assertEquals(5f, fives.fakeQuantize(5, EVEN), fives.scale() / 2);
        }
    }

    @Test
    void badRangesAreRejected() {
        QuantSpec spec = new QuantSpec(8, false, true, false);
        assertThrows(IllegalArgumentException.class, () -> spec.qparams(Float.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> spec.qparams(0, Float.POSITIVE_INFINITY));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec.qparams(2, 1)).getMessage().contains("min > max"));
    }
}
