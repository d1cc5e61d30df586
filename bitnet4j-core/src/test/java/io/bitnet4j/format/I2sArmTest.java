package io.bitnet4j.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ARM layout of I2_S against its description (runs of 64 weights in 16 bytes), and the way back to x86. */
class I2sArmTest {
    private static byte[] randomTrits(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] t = new byte[n];
        for (int i = 0; i < n; i++) {
            t[i] = (byte) (rnd.nextInt(3) - 1);
        }
        return t;
    }

    @Test
    void everyWeightLandsWhereTheArmLayoutPutsIt() {
        int n = 3 * 128;
        byte[] trits = randomTrits(n, 11);
        byte[] x86 = I2_S.pack(trits, 0.5f);
        byte[] arm = new byte[n / 4];
        I2sArm.fromX86(x86, 0, arm, 0, n);
        for (int e = 0; e < n; e++) {
            // bitnet.cpp's quantize_i2_s under NEON: run e / 64 of 16 bytes, byte e % 16 of it, quarter (e % 64) / 16
            int run = e / 64;
            int inRun = e % 64;
            int code = arm[16 * run + inRun % 16] >>> (6 - 2 * (inRun / 16)) & 3;
            assertEquals(trits[e] + 1, code, "element " + e);
        }
    }

    @Test
    void armAndBackGivesTheSameBytes() {
        int n = 20 * 128;
        byte[] x86 = I2_S.pack(randomTrits(n, 5), 1f);
        byte[] arm = new byte[n / 4 + 8];
        I2sArm.fromX86(x86, 0, arm, 8, n); // at an offset, as a tensor inside a buffer
        byte[] back = new byte[n / 4];
        I2sArm.toX86(arm, 8, back, 0, n);
        assertArrayEquals(Arrays.copyOf(x86, n / 4), back);
        assertEquals(false, Arrays.equals(Arrays.copyOfRange(arm, 8, 8 + n / 4), back), "the layouts differ");
    }

    @Test
    void unpacksToTheSameTritsAsThePackedArmRuns() {
        // a second reference: pack the ARM layout directly from its description, then convert it to x86
        int n = 256;
        byte[] trits = randomTrits(n, 3);
        byte[] arm = new byte[n / 4];
        for (int e = 0; e < n; e++) {
            arm[16 * (e / 64) + e % 16] |= (byte) ((trits[e] + 1) << (6 - 2 * (e % 64 / 16)));
        }
        byte[] x86 = new byte[I2_S.packedBytes(n)];
        I2sArm.toX86(arm, 0, x86, 0, n);
        assertArrayEquals(trits, I2_S.unpackTrits(x86, n));
    }

    @Test
    void refusesWhatItCannotConvert() {
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> I2sArm.fromX86(a, 0, b, 0, 64));
        assertEquals(true, e.getMessage().contains("multiple of 128"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> I2sArm.toX86(a, 40, b, 0, 128));
        e = assertThrows(IllegalArgumentException.class, () -> I2sArm.toX86(a, 0, a, 16, 128));
        assertEquals(true, e.getMessage().contains("overlap"), e.getMessage());
    }
}
