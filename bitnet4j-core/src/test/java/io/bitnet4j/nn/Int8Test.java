package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Int8Test {

    /** Rows longer than one int-safe chunk: all-extreme products would overflow a single int accumulator. */
    @Test
    void dotIsExactBeyondTheIntSafeLength() {
        int n = Int8.INT_SAFE_TERMS * 2 + 17;
        byte[] a = new byte[n + 3];
        byte[] b = new byte[n + 5];
        java.util.Arrays.fill(a, (byte) -127);
        java.util.Arrays.fill(b, (byte) -127);
        assertEquals((long) n * 127 * 127, Int8.dot(a, 3, b, 5, n));
        assertEquals((long) (n - 1) * 127 * 127, Int8.dot(a, 0, b, 0, n - 1));
    }

    @Test
    void dotMatchesAPlainLongSumWithOffsets() {
        SplittableRandom rnd = new SplittableRandom(61);
        for (int trial = 0; trial < 50; trial++) {
            int n = rnd.nextInt(0, 300);
            byte[] a = new byte[n + 7];
            byte[] t = new byte[n + 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) rnd.nextInt(-127, 128);
            }
            for (int i = 0; i < t.length; i++) {
                t[i] = (byte) rnd.nextInt(-1, 2); // trits, as BitLinear's integer path passes them
            }
            long expected = 0;
            for (int k = 0; k < n; k++) {
                expected += (long) a[7 + k] * t[2 + k];
            }
            assertEquals(expected, Int8.dot(a, 7, t, 2, n), "trial " + trial);
        }
    }
}
