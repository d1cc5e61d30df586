package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vectorized llama.cpp-order TQ kernel gives the scalar kernel's floats, bit for bit: block by block (the lane
 * sums folded in the vector, then one fma per lane) and for whole products.
 */
class TernaryBlockVectorMatrixTest {
    private static final Summation LLAMA = Summation.DEFAULT;

    @Test
    void blockTermsAreTheScalarKernelsFloats() {
        SplittableRandom r = new SplittableRandom(61);
        byte[] codes = new byte[512];
        byte[] q = new byte[512];
        int[] sums32 = new int[16];
        for (int trial = 0; trial < 200; trial++) {
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (byte) r.nextInt(3);
                q[i] = (byte) (trial % 4 == 0 ? (r.nextBoolean() ? 127 : -128) : r.nextInt(-128, 128)); // extremes too
            }
            if (trial % 8 == 1) { // the largest position sums: every code and value at an extreme
                Arrays.fill(codes, (byte) 2);
                Arrays.fill(q, trial % 16 == 1 ? (byte) -128 : (byte) 127);
            }
            Arrays.fill(sums32, 0);
            for (int i = 0; i < q.length; i++) {
                sums32[i / 32] += q[i]; // Q8_K's sums of 32 values, which the codes' products take off
            }
            float scale = (float) r.nextDouble(-2, 2);
            float[] expected = new float[8];
            float[] actual = new float[8];
            for (int k = 0; k < 8; k++) { // lanes already holding a sum, as after earlier blocks
                expected[k] = actual[k] = (float) r.nextDouble(-1000, 1000);
            }
            scalar(GgmlType.TQ2_0).accumulateBlock(codes, 256, q, 256, sums32, scale, expected, new KernelScratch(512));
            vector(GgmlType.TQ2_0).accumulateBlock(codes, 256, q, 256, sums32, scale, actual, new KernelScratch(512));
            for (int k = 0; k < 8; k++) {
                assertEquals(Float.floatToRawIntBits(expected[k]), Float.floatToRawIntBits(actual[k]), "trial " + trial + ", lane " + k);
            }
        }
    }

    @Test
    void tq1DigitsOfEveryByteAreTheScalarDecodersCodes() {
        // any byte decodes to digits (not only the ones llama.cpp writes), so every value is checked at every position
        int blocks = 40;
        int blockBytes = TQ1_0.FORMAT.blockBytes();
        byte[] bytes = new byte[blocks * blockBytes];
        SplittableRandom r = new SplittableRandom(75);
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < TQ1_0.FORMAT.scaleOffset(); i++) {
                bytes[b * blockBytes + i] = (byte) (b < 8 ? b * 32 + i % 32 : r.nextInt(256)); // blocks 0-7: all 256 values
            }
            short half = Float.floatToFloat16((float) r.nextDouble(-3, 3));
            bytes[b * blockBytes + TQ1_0.FORMAT.scaleOffset()] = (byte) half;
            bytes[b * blockBytes + TQ1_0.FORMAT.scaleOffset() + 1] = (byte) (half >> 8);
        }
        MemorySegment data = MemorySegment.ofArray(bytes);
        TernaryBlockMatrix exact = new TernaryBlockMatrix("w", GgmlType.TQ1_0, blocks, 256, data, TQ1_0.FORMAT);
        TernaryBlockMatrix fast = new TernaryBlockVectorMatrix("w", GgmlType.TQ1_0, blocks, 256, data, TQ1_0.FORMAT);
        byte[] expected = new byte[300];
        byte[] actual = new byte[300];
        for (int b = 0; b < blocks; b++) {
            float d = exact.decodeForProducts(b, expected, 7);
            assertEquals(d, fast.decodeForProducts(b, actual, 7), "block " + b + "'s scale");
            assertEquals(Arrays.toString(expected), Arrays.toString(actual), "block " + b);
        }
    }

    @ParameterizedTest(name = "{0}, {1} tokens, {2} threads")
    @CsvSource({"TQ2_0, 1, 1", "TQ2_0, 7, 2", "TQ1_0, 1, 2", "TQ1_0, 4, 1", "TQ2_0, 70, 2", "TQ1_0, 133, 1"})
    void productsAreTheScalarKernelsFloats(GgmlType type, int tokens, int threads) {
        int rows = 37;
        int cols = 768;
        byte[] bytes = tensor(type, rows, cols, 71);
        TernaryBlockMatrix exact = new TernaryBlockMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format(type));
        TernaryBlockMatrix fast = new TernaryBlockVectorMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format(type));
        float[] x = SeededArrays.gaussian(72, tokens * cols, 3);
        float[] expected = Harness.multiply(exact, x, tokens, ActivationType.Q8_K, LLAMA, threads);
        float[] actual = Harness.multiply(fast, x, tokens, ActivationType.Q8_K, LLAMA, threads);
        assertEquals(-1, Harness.firstBitDifference(expected, actual));
    }

    /**
     * Products of many tokens go through {@link TernaryPairTiles}: whole tiles of rows, token groups of four (and a
     * shorter last one), the leftover rows of each thread's range row by row; values at Q8_K's extremes too.
     */
    @ParameterizedTest(name = "{0}, {1} rows, {2} tokens, {3} threads, extremes {4}")
    @CsvSource({"TQ2_0, 64, 8, 1, false", "TQ2_0, 101, 9, 1, false", "TQ2_0, 101, 70, 2, false", "TQ2_0, 200, 11, 2, true",
            "TQ2_0, 96, 32, 1, true", "TQ1_0, 101, 70, 2, false", "TQ1_0, 96, 13, 1, true"})
    void manyTokenProductsAreTheScalarKernelsFloats(GgmlType type, int rows, int tokens, int threads, boolean extremes) {
        int cols = 768;
        byte[] bytes = tensor(type, rows, cols, 76);
        TernaryBlockMatrix exact = new TernaryBlockMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format(type));
        TernaryBlockMatrix fast = new TernaryBlockVectorMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format(type));
        float[] x = SeededArrays.gaussian(77, tokens * cols, 3);
        if (extremes) { // equal magnitudes: every value quantizes to -128 or 127
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] < 0 ? -1f : 1f;
            }
        }
        float[] expected = Harness.multiply(exact, x, tokens, ActivationType.Q8_K, LLAMA, threads);
        float[] actual = Harness.multiply(fast, x, tokens, ActivationType.Q8_K, LLAMA, threads);
        assertEquals(-1, Harness.firstBitDifference(expected, actual));
    }

    @ParameterizedTest(name = "{0}, code 3: {1}")
    @CsvSource({"TQ2_0, true", "TQ2_0, false", "TQ1_0, false"})
    void aBadBlockInManyTokenProductsIsReportedAsTheScalarKernelReportsIt(GgmlType type, boolean code3) {
        int rows = 70;
        int cols = 512;
        int tokens = 12;
        TernaryBlockFormat format = format(type);
        byte[] bytes = tensor(type, rows, cols, 78);
        int block = 2 * 40 + 1; // row 40, the second tile's
        if (code3) {
            bytes[block * format.blockBytes() + 17] = (byte) 0xC0;
        } else {
            bytes[block * format.blockBytes() + format.scaleOffset() + 1] = (byte) 0x7C; // infinity
            bytes[block * format.blockBytes() + format.scaleOffset()] = 0;
        }
        TernaryBlockMatrix exact = new TernaryBlockMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format);
        TernaryBlockMatrix fast = new TernaryBlockVectorMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format);
        float[] x = SeededArrays.gaussian(79, tokens * cols, 1);
        String expected = failure(() -> Harness.multiply(exact, x, tokens, ActivationType.Q8_K, LLAMA, 1));
        String actual = failure(() -> Harness.multiply(fast, x, tokens, ActivationType.Q8_K, LLAMA, 1));
        assertEquals(expected, actual);
        assertTrue(expected.contains("block " + block), expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TQ2_0, 200, -1", "TQ2_0, 0, 0x7C00", "TQ1_0, 0, 0x7E00"})
    void aBadBlockIsReportedAsTheScalarKernelReportsIt(GgmlType type, int badByte, int scaleBits) {
        int rows = 3;
        int cols = 512;
        byte[] bytes = tensor(type, rows, cols, 73);
        int blockBytes = format(type).blockBytes();
        if (scaleBits < 0) {
            bytes[blockBytes * 3 + badByte % blockBytes] = (byte) 0xFF; // block 3: code 3
        } else {
            int scale = blockBytes * 3 + format(type).scaleOffset(); // block 3's scale: infinity or NaN
            bytes[scale] = (byte) scaleBits;
            bytes[scale + 1] = (byte) (scaleBits >> 8);
        }
        TernaryBlockMatrix exact = new TernaryBlockMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format(type));
        TernaryBlockMatrix fast = new TernaryBlockVectorMatrix("w", type, rows, cols, MemorySegment.ofArray(bytes), format(type));
        float[] x = SeededArrays.gaussian(74, cols, 1);
        String expected = failure(() -> Harness.multiply(exact, x, 1, ActivationType.Q8_K, LLAMA, 1));
        String actual = failure(() -> Harness.multiply(fast, x, 1, ActivationType.Q8_K, LLAMA, 1));
        assertEquals(expected, actual);
        assertTrue(expected.contains("block 3"), expected);
    }

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private static TernaryBlockMatrix scalar(GgmlType type) {
        return new TernaryBlockMatrix("w", type, 1, 512, MemorySegment.ofArray(tensor(type, 1, 512, 1)), format(type));
    }

    private static TernaryBlockMatrix vector(GgmlType type) {
        return new TernaryBlockVectorMatrix("w", type, 1, 512, MemorySegment.ofArray(tensor(type, 1, 512, 1)), format(type));
    }

    private static TernaryBlockFormat format(GgmlType type) {
        return type == GgmlType.TQ1_0 ? TQ1_0.FORMAT : TQ2_0.FORMAT;
    }

    private static byte[] tensor(GgmlType type, int rows, int cols, long seed) {
        float[] scales = SeededArrays.uniform(seed, rows * cols / 256, 2);
        return format(type).pack(LutKernelTest.randomTrits(rows * cols, seed), scales);
    }
}
