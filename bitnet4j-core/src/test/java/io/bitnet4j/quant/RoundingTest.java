package io.bitnet4j.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundingTest {

    @Test
    void exactHalvesGoAwayFromZeroOrToEven() {
        double[] x = {0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5};
        double[] away = {1, -1, 2, -2, 3, -3, 4};
        double[] even = {0, -0.0, 2, -2, 2, -2, 4};
        for (int i = 0; i < x.length; i++) {
            assertEquals(away[i], Rounding.HALF_AWAY_FROM_ZERO.round(x[i]), "away " + x[i]);
            assertEquals(even[i], Rounding.HALF_EVEN.round(x[i]), "even " + x[i]);
            assertEquals((float) away[i], Rounding.HALF_AWAY_FROM_ZERO.round((float) x[i]), "away float " + x[i]);
            assertEquals((float) even[i], Rounding.HALF_EVEN.round((float) x[i]), "even float " + x[i]);
        }
    }

    /** The largest double below 0.5 is not a half: floor(x + 0.5) would say 1, because that sum rounds up. */
    @Test
    void justBelowAHalfRoundsDown() {
        double below = Math.nextDown(0.5);
        assertEquals(0.0, Rounding.HALF_AWAY_FROM_ZERO.round(below));
        assertEquals(-0.0, Rounding.HALF_AWAY_FROM_ZERO.round(-below));
        assertEquals(0.0, Rounding.HALF_EVEN.round(below));
        double belowTwoAndAHalf = Math.nextDown(2.5);
        assertEquals(2.0, Rounding.HALF_AWAY_FROM_ZERO.round(belowTwoAndAHalf));
        assertEquals(0f, Rounding.HALF_AWAY_FROM_ZERO.round(Math.nextDown(0.5f)));
    }

    /** Codes above 2^24 (an int32 bias) need the double overload: a float cannot even hold 2^24 + 1. */
    @Test
    void largeValuesRoundInDouble() {
        double v = (1 << 24) + 1.5;
        assertEquals((1 << 24) + 2.0, Rounding.HALF_AWAY_FROM_ZERO.round(v));
        assertEquals((1 << 24) + 2.0, Rounding.HALF_EVEN.round(v));
        assertEquals((1 << 24) + 3.0, Rounding.HALF_AWAY_FROM_ZERO.round(v + 1));
        assertEquals((1 << 24) + 2.0, Rounding.HALF_EVEN.round(v + 1));
        assertEquals(2147483648.0, Rounding.HALF_AWAY_FROM_ZERO.round(2147483647.5));
        assertEquals(1e300, Rounding.HALF_EVEN.round(1e300));
    }

    @Test
    void nonFiniteValuesAreKept() {
        for (Rounding r : Rounding.values()) {
            assertEquals(Double.NaN, r.round(Double.NaN));
            assertEquals(Double.NEGATIVE_INFINITY, r.round(Double.NEGATIVE_INFINITY));
            assertEquals(Float.POSITIVE_INFINITY, r.round(Float.POSITIVE_INFINITY));
        }
    }

    /** Against BigDecimal's exact rounding, over seeded values that include many exact halves and near-halves. */
    @Test
    void matchesExactDecimalRounding() {
        SplittableRandom rnd = new SplittableRandom(41);
        for (int k = 0; k < 20_000; k++) {
            double x = switch (k % 4) {
                case 0 -> rnd.nextDouble(-1e6, 1e6);
                case 1 -> rnd.nextInt(-4000, 4000) + 0.5;
                case 2 -> (rnd.nextInt(-4000, 4000) + 0.5) * 0.25;
                default -> Math.nextAfter(rnd.nextInt(-4000, 4000) + 0.5, rnd.nextBoolean() ? 1e9 : -1e9);
            };
            BigDecimal exact = new BigDecimal(x);
            assertEquals(exact.setScale(0, RoundingMode.HALF_UP).doubleValue(), Rounding.HALF_AWAY_FROM_ZERO.round(x), 0.0, "away " + x);
            assertEquals(exact.setScale(0, RoundingMode.HALF_EVEN).doubleValue(), Rounding.HALF_EVEN.round(x), 0.0, "even " + x);
            float f = (float) x;
            BigDecimal exactFloat = new BigDecimal(f);
            assertEquals(exactFloat.setScale(0, RoundingMode.HALF_UP).floatValue(), Rounding.HALF_AWAY_FROM_ZERO.round(f), 0f, "away " + f);
            assertEquals(exactFloat.setScale(0, RoundingMode.HALF_EVEN).floatValue(), Rounding.HALF_EVEN.round(f), 0f, "even " + f);
        }
    }
}
