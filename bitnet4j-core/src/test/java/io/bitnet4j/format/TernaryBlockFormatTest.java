package io.bitnet4j.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TQ1_0 / TQ2_0 properties, hand-derived layouts and bad input. */
class TernaryBlockFormatTest {

    static Stream<TernaryBlockFormat> formats() {
        return Stream.of(TQ1_0.FORMAT, TQ2_0.FORMAT);
    }

    static byte[] randomTrits(SplittableRandom rnd, int n) {
        byte[] t = new byte[n];
        for (int i = 0; i < n; i++) {
            t[i] = (byte) (rnd.nextInt(3) - 1);
        }
        return t;
    }

    /** A random finite fp16 bit pattern (any sign, normals and subnormals). */
    static short randomFiniteHalf(SplittableRandom rnd) {
        while (true) {
            short bits = (short) rnd.nextInt(1 << 16);
            if (Float.isFinite(Float.float16ToFloat(bits))) {
                return bits;
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void packThenUnpackIsExactAndRepacksToTheSameBytes(TernaryBlockFormat f) {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int blocks : new int[] {1, 3, 8}) {
            int n = blocks * 256;
            byte[] trits = randomTrits(rnd, n);
            short[] scales = new short[blocks];
            for (int b = 0; b < blocks; b++) {
                scales[b] = randomFiniteHalf(rnd);
            }
            byte[] packed = f.pack(trits, scales);
            assertEquals(blocks * f.blockBytes(), packed.length);
            assertArrayEquals(trits, f.unpackTrits(packed, n));
            assertArrayEquals(scales, f.unpackScaleBits(packed, n));
            assertArrayEquals(packed, f.pack(f.unpackTrits(packed, n), f.unpackScaleBits(packed, n)));
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void exactTernaryInputWithFp16ScalesComesBackExactly(TernaryBlockFormat f) {
        SplittableRandom rnd = new SplittableRandom(12);
        float[] blockScale = {0.5f, 0.0078125f, 3f, 0.0625f};
        byte[] trits = randomTrits(rnd, 1024);
        float[] x = new float[1024];
        for (int i = 0; i < x.length; i++) {
            x[i] = trits[i] * blockScale[i / 256];
        }
        for (int b = 0; b < 4; b++) {
            trits[b * 256 + 7] = 1; // each block reaches its scale, so max|x| = s
            x[b * 256 + 7] = blockScale[b];
        }
        byte[] packed = f.quantize(x);
        assertArrayEquals(trits, f.unpackTrits(packed, x.length));
        assertArrayEquals(blockScale, f.unpackScales(packed, x.length));
        TqFixtureTest.assertBitsEqual(x, f.dequantize(packed, x.length), f + " dequantize");
    }

    @ParameterizedTest
    @MethodSource("formats")
    void zeroAndVanishingBlocksQuantizeToZeroScaleAndZeroTrits(TernaryBlockFormat f) {
        float[] x = new float[512];
        Arrays.fill(x, 0, 256, -0f);
        Arrays.fill(x, 256, 512, Float.MIN_VALUE); // 1/d overflows float32: trits 0, as llama.cpp on x86
        x[300] = -Float.MIN_VALUE;
        byte[] packed = f.quantize(x);
        assertArrayEquals(new byte[512], f.unpackTrits(packed, 512));
        assertArrayEquals(new short[2], f.unpackScaleBits(packed, 512));
    }

    @Test
    void tq2LayoutByHand() {
        byte[] trits = new byte[256];
        trits[0] = 1; // byte 0, bits 0-1
        trits[33] = -1; // element 32+1: byte 1, bits 2-3
        trits[200] = 1; // 128 + 64 + 8: byte 32+8, bits 4-5
        byte[] packed = TQ2_0.FORMAT.pack(trits, new short[] {0x3c00});
        byte[] expected = new byte[66];
        Arrays.fill(expected, 0, 64, (byte) 0x55); // code 1 (trit 0) in all four fields
        expected[0] = 0x56;
        expected[1] = 0x51;
        expected[40] = 0x65;
        expected[64] = 0x00; // fp16 1.0 = 0x3c00, little-endian
        expected[65] = 0x3c;
        assertArrayEquals(expected, packed);
    }

    @Test
    void tq1LayoutByHand() {
        // all +1: each five-digit byte is 22222₃ = 242 → ceil(242·256/243) = 255; qh 2222₃·3 = 240 → 253
        byte[] plus = new byte[256];
        Arrays.fill(plus, (byte) 1);
        byte[] p = TQ1_0.FORMAT.pack(plus, new short[] {0});
        for (int i = 0; i < 48; i++) {
            assertEquals((byte) 255, p[i], "qs byte " + i);
        }
        for (int i = 48; i < 52; i++) {
            assertEquals((byte) 253, p[i], "qh byte " + i);
        }
        // all 0: 11111₃ = 121 → ceil(30976/243) = 128; qh 1111₃·3 = 120 → ceil(30720/243) = 127
        byte[] z = TQ1_0.FORMAT.pack(new byte[256], new short[] {0});
        assertEquals((byte) 128, z[0]);
        assertEquals((byte) 128, z[47]);
        assertEquals((byte) 127, z[48]);
        // element 32 is the second digit of byte 0: 12111₃ = 81+2·27+9+3+1 = 148 → ceil(37888/243) = 156
        byte[] one = new byte[256];
        one[32] = 1;
        assertEquals((byte) 156, TQ1_0.FORMAT.pack(one, new short[] {0})[0]);
        // element 245 = 240 + 1 + 4·1: qh byte 1, second digit: 1211₃·3 = (27+18+3+1)·3 = 147 → ceil(37632/243) = 155
        byte[] tail = new byte[256];
        tail[245] = 1;
        assertEquals((byte) 155, TQ1_0.FORMAT.pack(tail, new short[] {0})[49]);
    }

    @Test
    void everyTq1ByteDecodesAndCanonicalBytesReencode() {
        byte[] block = new byte[54];
        for (int v = 0; v < 256; v++) {
            Arrays.fill(block, 0, 52, (byte) v);
            byte[] trits = TQ1_0.FORMAT.unpackTrits(block, 256); // never throws: all bytes are digits
            for (byte t : trits) {
                assertTrue(t >= -1 && t <= 1);
            }
        }
        for (int q = 0; q < 243; q++) { // a canonical byte survives decode → encode
            int stored = (q * 256 + 242) / 243;
            Arrays.fill(block, 0, 48, (byte) stored);
            byte[] again = TQ1_0.FORMAT.pack(TQ1_0.FORMAT.unpackTrits(block, 256), new short[] {0});
            assertEquals((byte) stored, again[0], "q = " + q);
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void blockDotAndDotMatchAPlainReference(TernaryBlockFormat f) {
        SplittableRandom rnd = new SplittableRandom(13);
        int n = 1024;
        float[] x = new float[n];
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
            a[i] = (float) rnd.nextGaussian();
        }
        byte[] w = f.quantize(x);
        byte[] q8 = Q8_K.quantize(a);
        byte[] trits = f.unpackTrits(w, n);
        float[] d = f.unpackScales(w, n);
        double exact = 0;
        for (int b = 0; b < 4; b++) {
            int sum = 0;
            for (int j = 0; j < 256; j++) {
                sum += trits[b * 256 + j] * Q8_K.value(q8, b, j);
            }
            assertEquals(sum, f.blockDot(w, b, q8, b));
            exact += (double) sum * Q8_K.scale(q8, b) * d[b];
        }
        assertEquals(exact, f.dot(w, 0, q8, 0, 4), 1e-5 * Math.abs(exact) + 1e-6);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void badInputIsRejectedWithAClearMessage(TernaryBlockFormat f) {
        assertMessage("not a multiple of the block size 256", () -> f.quantize(new float[100]));
        assertMessage("must be positive", () -> f.quantize(new float[0]));
        float[] nan = new float[256];
        nan[17] = Float.NaN;
        assertMessage("index 17", () -> f.quantize(nan));
        float[] huge = new float[512];
        huge[300] = 65520f; // rounds to the fp16 infinity
        assertMessage("block 1 has max|x| = 65520.0", () -> f.quantize(huge));
        huge[300] = 65519f; // still rounds down to 65504
        assertEquals(65504f, f.unpackScales(f.quantize(huge), 512)[1]);
        assertMessage("2 scales were given", () -> f.pack(new byte[256], new short[2]));
        byte[] bigTrits = new byte[256];
        byte[] badTrit = new byte[256];
        badTrit[3] = 2;
        assertMessage("trit 3 is 2", () -> f.pack(badTrit, new short[1]));
        assertMessage("not a finite fp16", () -> f.pack(bigTrits, new float[] {1e6f}));
        assertMessage("not a finite fp16", () -> f.pack(bigTrits, new short[] {(short) 0x7c00}));
        assertMessage("need exactly " + 2 * f.blockBytes(), () -> f.unpackTrits(new byte[f.blockBytes()], 512));
        byte[] infScale = f.pack(bigTrits, new short[] {0});
        infScale[f.scaleOffset()] = 0x00;
        infScale[f.scaleOffset() + 1] = (byte) 0x7c;
        assertMessage("block 0 has scale bits 0x7c00", () -> f.dequantize(infScale, 256));
        assertMessage("row length 384", () -> f.toTernaryWeight(new byte[3 * f.blockBytes()], Shape.of(2, 384)));
        byte[] q8 = new byte[Q8_K.BLOCK_BYTES];
        assertMessage("weight blocks 1..1", () -> f.blockDot(infScale, 1, q8, 0));
        assertMessage("Q8_K activation blocks 0..1", () -> f.dot(f.pack(new byte[512], new short[2]), 0, q8, 0, 2));
    }

    @Test
    void tq2RejectsCode3() {
        byte[] packed = TQ2_0.FORMAT.pack(new byte[256], new short[] {0x3c00});
        packed[40] = (byte) 0x75; // bits 4-5 = 3 → element 128 + 64 + 8
        assertMessage("code 3 for element 200", () -> TQ2_0.FORMAT.unpackTrits(packed, 256));
    }

    @Test
    void lookupByGgmlType() {
        assertEquals(TQ1_0.FORMAT, TernaryBlockFormat.forGgmlType(34).orElseThrow());
        assertEquals(TQ2_0.FORMAT, TernaryBlockFormat.forGgmlType(35).orElseThrow());
        assertTrue(TernaryBlockFormat.forGgmlType(36).isEmpty());
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
