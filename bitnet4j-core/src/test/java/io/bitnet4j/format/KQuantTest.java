package io.bitnet4j.format;

import static io.bitnet4j.format.TernaryBlockFormatTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Q4_K and Q6_K decoding against super-blocks packed here, in the test, from the documented layout (the
 * packing is written independently of the decoders, in the opposite direction), with the scale corners:
 * 6-bit values 0 and 63, the two spare top bits of the 6-bit packing, negative int8 scales and negative d.
 */
class KQuantTest {

    private static void putHalf(byte[] b, int at, float v) {
        short h = Float.floatToFloat16(v);
        b[at] = (byte) h;
        b[at + 1] = (byte) (h >> 8);
    }

    /** One Q4_K super-block from its parts. */
    private static byte[] q4k(float d, float dmin, int[] sc, int[] m, int[] q) {
        byte[] b = new byte[144];
        putHalf(b, 0, d);
        putHalf(b, 2, dmin);
        for (int k = 0; k < 4; k++) {
            b[4 + k] = (byte) (sc[k] | (sc[k + 4] >> 4) << 6);
            b[4 + k + 4] = (byte) (m[k] | (m[k + 4] >> 4) << 6);
            b[4 + k + 8] = (byte) ((sc[k + 4] & 15) | (m[k + 4] & 15) << 4);
        }
        for (int k = 0; k < 4; k++) { // 32 bytes per pair of sub-blocks: low nibble sub-block 2k, high nibble 2k+1
            for (int l = 0; l < 32; l++) {
                b[16 + 32 * k + l] = (byte) (q[64 * k + l] | q[64 * k + 32 + l] << 4);
            }
        }
        return b;
    }

    /** One Q6_K super-block from its parts. */
    private static byte[] q6k(float d, int[] scales, int[] q) {
        byte[] b = new byte[210];
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int q0 = q[128 * h + l];
                int q1 = q[128 * h + l + 32];
                int q2 = q[128 * h + l + 64];
                int q3 = q[128 * h + l + 96];
                b[64 * h + l] = (byte) ((q0 & 15) | (q2 & 15) << 4);
                b[64 * h + l + 32] = (byte) ((q1 & 15) | (q3 & 15) << 4);
                b[128 + 32 * h + l] = (byte) ((q0 >> 4) | (q1 >> 4) << 2 | (q2 >> 4) << 4 | (q3 >> 4) << 6);
            }
        }
        for (int i = 0; i < 16; i++) {
            b[192 + i] = (byte) scales[i];
        }
        putHalf(b, 208, d);
        return b;
    }

    private static int[] randomCodes(SplittableRandom rnd, int bound) {
        int[] q = new int[256];
        for (int i = 0; i < q.length; i++) {
            q[i] = rnd.nextInt(bound);
        }
        q[0] = 0;
        q[255] = bound - 1;
        return q;
    }

    @Test
    void q4kSixBitScalesAndMinimumsUnpackFromAllTwelveBytes() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] scaleSets = {
            {63, 0, 17, 48, 63, 0, 33, 16}, // sub-blocks 4..7 use the spare top bits (values ≥ 16)
            {0, 63, 1, 62, 47, 63, 15, 49},
        };
        int[][] minSets = {
            {0, 63, 5, 32, 16, 63, 0, 47},
            {63, 0, 63, 0, 63, 1, 48, 31},
        };
        for (int set = 0; set < 2; set++) {
            int[] sc = scaleSets[set];
            int[] m = minSets[set];
            int[] q = randomCodes(rnd, 16);
            float d = set == 0 ? 0.0123f : -0.5f;
            float dmin = set == 0 ? 0.0021f : 0.25f;
            byte[] block = q4k(d, dmin, sc, m, q);
            float[] v = Q4_K.dequantize(block, 256);
            float dh = Float.float16ToFloat(Float.floatToFloat16(d));
            float mh = Float.float16ToFloat(Float.floatToFloat16(dmin));
            for (int i = 0; i < 256; i++) {
                int s = i / 32;
                float expected = (dh * sc[s]) * q[i] - (mh * m[s]);
                assertEquals(expected, v[i], 0f, "set " + set + " element " + i);
            }
        }
    }

    @Test
    void q6kCodesCombineLowNibblesAndHighBitPairsWithSignedScales() {
        SplittableRandom rnd = new SplittableRandom(4);
        int[] scales = {-128, 127, 0, 1, -1, 64, -64, 5, 100, -100, 33, -33, 7, -7, 126, -127};
        int[] q = randomCodes(rnd, 64);
        for (float d : new float[] {0.01f, -2f}) {
            float[] v = Q6_K.dequantize(q6k(d, scales, q), 256);
            float dh = Float.float16ToFloat(Float.floatToFloat16(d));
            for (int i = 0; i < 256; i++) {
                float expected = (dh * scales[i / 16]) * (q[i] - 32);
                assertEquals(expected, v[i], 0f, "d " + d + " element " + i);
            }
        }
    }

    @Test
    void superBlocksFollowEachOther() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[] q = randomCodes(rnd, 64);
        int[] scales = new int[16];
        java.util.Arrays.fill(scales, 1);
        byte[] one = q6k(1f, scales, q);
        byte[] two = new byte[420];
        System.arraycopy(one, 0, two, 0, 210);
        System.arraycopy(q6k(2f, scales, q), 0, two, 210, 210);
        float[] v = Q6_K.dequantize(two, 512);
        for (int i = 0; i < 256; i++) {
            assertEquals(2 * v[i], v[256 + i], 0f, "element " + i);
        }
    }

    @Test
    void lengthsAreChecked() {
        assertMessage("not a multiple of the block size 256", () -> Q4_K.dequantize(new byte[144], 128));
        assertMessage("need exactly 144", () -> Q4_K.dequantize(new byte[143], 256));
        assertMessage("need exactly 420", () -> Q6_K.dequantize(new byte[210], 512));
    }
}
