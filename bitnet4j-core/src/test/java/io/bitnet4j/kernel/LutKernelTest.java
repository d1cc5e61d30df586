package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.Q8_K;
import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lookup-table kernels against plain references on seeded random matrices: the repacked layout holds the
 * file's trits and scales; TQ products equal {@link #referenceDot} (exact integer block sums, then
 * the stated float order) to the bit, and the scalar kernel's when a peer's order is asked for; I2_S products
 * equal the scalar kernel's to the bit in every order. Row counts that are not whole tiles, 1 to 9 tokens
 * (the four-token loop and the single-token rest) and 1 or 2 threads.
 */
class LutKernelTest {
    private static final Summation FAST = new Summation(Summation.Routine.KERNEL_ORDER, GgmlSimd.AVX512);

    @ParameterizedTest(name = "{0} {1}×{2}")
    @CsvSource({"TQ2_0, 37, 256", "TQ2_0, 64, 768", "TQ1_0, 50, 512", "TQ1_0, 1, 256"})
    void repackedTernaryBlocksHoldTheFilesTritsAndScales(GgmlType type, int rows, int cols) {
        TernaryBlockFormat format = type == GgmlType.TQ1_0 ? TQ1_0.FORMAT : TQ2_0.FORMAT;
        byte[] trits = randomTrits(rows * cols, 11);
        float[] scales = SeededArrays.uniform(12, rows * cols / 256, 2);
        byte[] bytes = format.pack(trits, scales);
        LutMatrix m = bind(type, rows, cols, bytes);
        float[] stored = format.unpackScales(bytes, rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(trits[r * cols + c], m.layout.trit(r, c), "trit " + r + "," + c);
            }
            for (int b = 0; b < cols / 256; b++) {
                assertEquals(stored[r * cols / 256 + b], ((TernaryLutMatrix) m).blockScale(r, b), "scale " + r + "," + b);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}×{2}, {3} tokens, {4} threads")
    @CsvSource({"TQ2_0, 37, 256, 1, 1", "TQ2_0, 64, 768, 5, 2", "TQ2_0, 100, 512, 9, 2", "TQ1_0, 50, 512, 4, 1",
            "TQ1_0, 33, 256, 3, 2", "TQ2_0, 40, 512, 2, 1", "TQ2_0, 70, 256, 7, 2"})
    void ternaryProductsFollowTheStatedOrderExactly(GgmlType type, int rows, int cols, int tokens, int threads) {
        TernaryBlockFormat format = type == GgmlType.TQ1_0 ? TQ1_0.FORMAT : TQ2_0.FORMAT;
        byte[] bytes = format.pack(randomTrits(rows * cols, 21), SeededArrays.uniform(22, rows * cols / 256, 2));
        byte[] trits = format.unpackTrits(bytes, rows * cols);
        float[] scales = format.unpackScales(bytes, rows * cols);
        float[] x = SeededArrays.gaussian(23, tokens * cols, 3);
        LutMatrix m = bind(type, rows, cols, bytes);
        assertFastProductsFollowTheStatedOrder(m, rows, cols, trits, scales, 1f, x, tokens, threads);
        float[] exact = Harness.multiply(m.exact, x, tokens, ActivationType.Q8_K, Summation.DEFAULT, 1);
        assertEquals(-1, Harness.firstBitDifference(exact, Harness.multiply(m, x, tokens, ActivationType.Q8_K, Summation.DEFAULT, threads)),
                "a peer's order goes to the scalar kernel");
    }

    /**
     * A layout for several threads is cut into groups of tiles, each group's blocks one after another: a matrix of
     * several groups (the last one shorter, its last tile partial) holds the file's trits, and its products follow
     * the stated order on any thread count, whole groups or not per thread.
     */
    @ParameterizedTest(name = "{0} {1}×{2}, {3} tokens, {4} threads")
    @CsvSource({"TQ2_0, 1700, 256, 1, 1", "TQ2_0, 1700, 256, 1, 3", "TQ2_0, 1700, 512, 5, 2", "TQ1_0, 900, 256, 4, 3",
            "I2_S, 1700, 256, 1, 2", "I2_S, 900, 384, 5, 3"})
    void groupedLayoutsHoldTheTritsAndFollowTheStatedOrder(GgmlType type, int rows, int cols, int tokens, int threads) {
        KernelProvider forTwo = ((VectorKernels) MatrixKernels.vectorProvider().orElseThrow()).withThreads(2);
        float[] x = SeededArrays.gaussian(33, tokens * cols, 3);
        if (type == GgmlType.I2_S) {
            byte[] bytes = I2_S.pack(randomTrits(rows * cols, 31), 0.375f);
            LutMatrix m = assertInstanceOf(LutMatrix.class, forTwo.bind(Harness.tensor("w", type, rows, cols, bytes), rows, cols).orElseThrow());
            assertTrue(m.layout.groupTiles() < m.layout.tiles(), "several groups");
            byte[] trits = I2_S.unpackTrits(bytes, rows * cols);
            for (int r = 0; r < rows; r += 7) {
                for (int c = 0; c < cols; c += 5) {
                    assertEquals(trits[r * cols + c], m.layout.trit(r, c), "trit " + r + "," + c);
                }
            }
            assertEquals(-1, Harness.firstBitDifference(Harness.multiply(m.exact, x, tokens, ActivationType.I8_PER_ROW, Summation.DEFAULT, 1),
                    Harness.multiply(m, x, tokens, ActivationType.I8_PER_ROW, FAST, threads)));
            return;
        }
        TernaryBlockFormat format = type == GgmlType.TQ1_0 ? TQ1_0.FORMAT : TQ2_0.FORMAT;
        byte[] bytes = format.pack(randomTrits(rows * cols, 31), SeededArrays.uniform(32, rows * cols / 256, 2));
        byte[] trits = format.unpackTrits(bytes, rows * cols);
        LutMatrix m = assertInstanceOf(LutMatrix.class, forTwo.bind(Harness.tensor("w", type, rows, cols, bytes), rows, cols).orElseThrow());
        assertTrue(m.layout.groupTiles() < m.layout.tiles(), "several groups");
        for (int r = 0; r < rows; r += 7) {
            for (int c = 0; c < cols; c += 5) {
                assertEquals(trits[r * cols + c], m.layout.trit(r, c), "trit " + r + "," + c);
            }
        }
        assertFastProductsFollowTheStatedOrder(m, rows, cols, trits, format.unpackScales(bytes, rows * cols), 1f, x, tokens, threads);
    }

    /** On one thread a matrix is one group; on more, equal groups of at most {@link LutLayout#MAX_GROUP_TILES} tiles cover it. */
    @Test
    void groupsCoverTheTilesEvenly() {
        for (int tiles = 1; tiles <= 500; tiles++) {
            assertEquals(tiles, LutLayout.groupTiles(tiles, 1));
            for (int threads = 2; threads <= 4; threads++) {
                int g = LutLayout.groupTiles(tiles, threads);
                int groups = (tiles + g - 1) / g;
                assertTrue(g >= 1 && g <= LutLayout.MAX_GROUP_TILES, tiles + " tiles: groups of " + g);
                assertTrue(tiles - (groups - 1) * g > g - groups, tiles + " tiles: the last group of "
                        + (tiles - (groups - 1) * g) + " is not much shorter than the others' " + g);
            }
        }
    }

    /** The repack reads codes through the formats' decoders, which refuse code 3 and say where it is. */
    @org.junit.jupiter.api.Test
    void aFieldHoldingCodeThreeIsRefusedAtLoadWithItsElement() {
        int rows = 3, cols = 512;
        for (int badColumn : new int[] {0, 100, 255, 256 + 254}) {
            byte[] tq2 = TQ2_0.FORMAT.pack(new byte[rows * cols], filled(rows * cols / 256, 0.5f));
            int block = 2 * cols / 256 + badColumn / 256; // in row 2
            int e = badColumn % 256;
            tq2[block * TQ2_0.FORMAT.blockBytes() + (e / 128) * 32 + e % 32] |= (byte) (3 << (2 * (e % 128 / 32)));
            IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> bind(GgmlType.TQ2_0, rows, cols, tq2));
            org.junit.jupiter.api.Assertions.assertTrue(bad.getMessage().contains("TQ2_0 block " + block + ", byte")
                    && bad.getMessage().contains("code 3 for element " + e), bad.getMessage());

            byte[] i2s = I2_S.pack(new byte[rows * cols], 0.5f);
            int run = 2 * cols / I2_S.BLOCK_SIZE + badColumn / I2_S.BLOCK_SIZE;
            int k = badColumn % I2_S.BLOCK_SIZE / 32;
            i2s[run * 32 + badColumn % 32] |= (byte) (3 << (6 - 2 * k));
            IllegalArgumentException badI2s = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> bind(GgmlType.I2_S, rows, cols, i2s));
            org.junit.jupiter.api.Assertions.assertTrue(badI2s.getMessage().contains("code 3 for element " + (2 * cols + badColumn)),
                    badI2s.getMessage());
        }
    }

    /**
     * A tensor whose blocks all share one scale (as BitNet b1.58's do) keeps no scales in its layout; its products
     * are the integer block sums times the activation scales in the stated order, times the shared scale at the end.
     */
    @ParameterizedTest(name = "{0} {1}×{2}, {3} tokens, {4} threads")
    @CsvSource({"TQ2_0, 37, 512, 1, 1", "TQ2_0, 64, 768, 5, 2", "TQ1_0, 50, 512, 4, 2"})
    void aSharedBlockScaleIsAppliedOnceAtTheEnd(GgmlType type, int rows, int cols, int tokens, int threads) {
        TernaryBlockFormat format = type == GgmlType.TQ1_0 ? TQ1_0.FORMAT : TQ2_0.FORMAT;
        float[] shared = new float[rows * cols / 256];
        java.util.Arrays.fill(shared, 0.8125f);
        byte[] bytes = format.pack(randomTrits(rows * cols, 41), shared);
        byte[] trits = format.unpackTrits(bytes, rows * cols);
        float[] x = SeededArrays.gaussian(42, tokens * cols, 3);
        TernaryLutMatrix m = (TernaryLutMatrix) bind(type, rows, cols, bytes);
        assertEquals(0.8125f, m.uniformScale());
        float[] ones = new float[rows * cols / 256];
        java.util.Arrays.fill(ones, 1f);
        assertFastProductsFollowTheStatedOrder(m, rows, cols, trits, ones, 0.8125f, x, tokens, threads);
        float[] exact = Harness.multiply(m.exact, x, tokens, ActivationType.Q8_K, Summation.DEFAULT, 1);
        assertEquals(-1, Harness.firstBitDifference(exact, Harness.multiply(m, x, tokens, ActivationType.Q8_K, Summation.DEFAULT, threads)),
                "a peer's order goes to the scalar kernel");
    }

    @ParameterizedTest(name = "{0}×{1}, {2} tokens, {3} threads")
    @CsvSource({"37, 128, 1, 1", "64, 384, 5, 2", "31, 512, 9, 2", "100, 2560, 4, 2", "45, 256, 2, 1", "33, 384, 3, 2",
            "50, 256, 6, 2"})
    void i2sProductsEqualTheScalarKernelExactly(int rows, int cols, int tokens, int threads) {
        byte[] bytes = I2_S.pack(randomTrits(rows * cols, 31), 0.75f);
        float[] x = SeededArrays.gaussian(32, tokens * cols, 2);
        LutMatrix m = bind(GgmlType.I2_S, rows, cols, bytes);
        for (int r = 0; r < rows; r += 7) {
            for (int c = 0; c < cols; c += 5) {
                assertEquals(I2_S.unpackTrits(bytes, rows * cols)[r * cols + c], m.layout.trit(r, c), "trit " + r + "," + c);
            }
        }
        float[] exact = Harness.multiply(m.exact, x, tokens, ActivationType.I8_PER_ROW, Summation.DEFAULT, 1);
        assertEquals(-1, Harness.firstBitDifference(exact, Harness.multiply(m, x, tokens, ActivationType.I8_PER_ROW, FAST, threads)));
    }

    /**
     * Each thread keeps the tables of the activations it last saw (Q, K and V share one input): products of two
     * matrices over one input, then of a new input in the same buffer, then of the first input set again, equal
     * those of a fresh multiplier to the bit.
     */
    @ParameterizedTest(name = "{0}, {1} tokens, {2} threads")
    @CsvSource({"TQ2_0, 1, 1", "TQ2_0, 4, 2", "TQ1_0, 1, 2", "I2_S, 1, 2", "I2_S, 4, 1", "TQ2_0, 5, 2"})
    void keptTablesGiveTheSameProducts(GgmlType type, int tokens, int threads) {
        int cols = 512;
        LutMatrix a = randomMatrix(type, 37, cols, 51);
        LutMatrix b = randomMatrix(type, 80, cols, 52);
        ActivationType as = a.activationType();
        float[] x1 = SeededArrays.gaussian(53, tokens * cols, 2);
        float[] x2 = SeededArrays.gaussian(54, tokens * cols, 2);
        float[] buffer = new float[tokens * cols];
        try (WorkerPool pool = new WorkerPool(threads)) {
            MatMul mm = new MatMul(pool, cols);
            Activations in = new Activations(buffer.length);
            Object[][] steps = {{x1, a}, {x1, b}, {x2, a}, {x2, b}, {x1, b}};
            for (int step = 0; step < steps.length; step++) {
                float[] x = (float[]) steps[step][0];
                LutMatrix m = (LutMatrix) steps[step][1];
                if (step == 0 || steps[step - 1][0] != x) {
                    System.arraycopy(x, 0, buffer, 0, buffer.length);
                    in.set(buffer, tokens, cols);
                }
                float[] got = new float[tokens * m.rows()];
                mm.multiply(m, in, as, FAST, got, 0);
                assertEquals(-1, Harness.firstBitDifference(Harness.multiply(m, x, tokens, as, FAST, threads), got), "step " + step);
            }
        }
    }

    private static LutMatrix randomMatrix(GgmlType type, int rows, int cols, long seed) {
        byte[] trits = randomTrits(rows * cols, seed);
        byte[] bytes = switch (type) {
            case I2_S -> I2_S.pack(trits, 0.5f);
            case TQ1_0 -> TQ1_0.FORMAT.pack(trits, SeededArrays.uniform(seed, rows * cols / 256, 2));
            default -> TQ2_0.FORMAT.pack(trits, SeededArrays.uniform(seed, rows * cols / 256, 2));
        };
        return bind(type, rows, cols, bytes);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TQ2_0", "I2_S"})
    void extremeActivationsDoNotOverflowTheInt16Sums(GgmlType type) {
        int rows = 40;
        int cols = 512;
        byte[] trits = new byte[rows * cols];
        for (int i = 0; i < trits.length; i++) {
            trits[i] = (byte) ((i / cols) % 2 == 0 ? 1 : -1); // rows of all +1 or all -1
        }
        byte[] bytes = type == GgmlType.I2_S ? I2_S.pack(trits, 1f) : TQ2_0.FORMAT.pack(trits, filled(rows * cols / 256, 1f));
        float[] x = filled(2 * cols, 5f); // every value quantizes to ±127
        LutMatrix m = bind(type, rows, cols, bytes);
        ActivationType as = m.activationType();
        float[] got = Harness.multiply(m, x, 2, as, FAST, 1);
        float[] exact = Harness.multiply(m.exact, x, 2, as, FAST, 1);
        for (int i = 0; i < got.length; i++) {
            assertEquals(exact[i], got[i], Math.abs(exact[i]) * 1e-6, "output " + i);
        }
    }

    /**
     * {@code m}'s fast products of {@code x} equal, to the bit, {@link #referenceDot} of each row's trits and block
     * scales ({@code blockScales[row·blocks + b]}) with the Q8_K activations, times {@code after}.
     */
    private static void assertFastProductsFollowTheStatedOrder(LutMatrix m, int rows, int cols, byte[] trits, float[] blockScales,
            float after, float[] x, int tokens, int threads) {
        float[] got = Harness.multiply(m, x, tokens, ActivationType.Q8_K, FAST, threads);
        int blocks = cols / 256;
        byte[] q = new byte[cols];
        float[] d8 = new float[blocks];
        byte[] rowTrits = new byte[cols];
        float[] rowScales = new float[blocks];
        for (int t = 0; t < tokens; t++) {
            for (int b = 0; b < blocks; b++) {
                d8[b] = Q8_K.quantizeBlock(x, t * cols + b * 256, q, b * 256);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(trits, r * cols, rowTrits, 0, cols);
                System.arraycopy(blockScales, r * blocks, rowScales, 0, blocks);
                float expected = referenceDot(rowTrits, rowScales, q, d8, 256) * after; // times 1 is exact
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got[t * rows + r]), "token " + t + ", row " + r);
            }
        }
    }

    /**
     * The order the lookup-table kernels follow ({@link LutKernel}), written plainly for one row and token: per block the exact integer
     * {@code Σ t·q}, then {@code acc = fma((float) sum, d_b · d8_b, acc)} from block 0 up.
     */
    static float referenceDot(byte[] trits, float[] blockScales, byte[] q, float[] d8, int block) {
        float acc = 0f;
        for (int b = 0; b < blockScales.length; b++) {
            int sum = 0;
            for (int c = b * block; c < (b + 1) * block; c++) {
                sum += trits[c] * q[c];
            }
            acc = Math.fma((float) sum, blockScales[b] * d8[b], acc);
        }
        return acc;
    }
    static LutMatrix bind(GgmlType type, int rows, int cols, byte[] bytes) {
        KernelProvider vector = MatrixKernels.vectorProvider().orElseThrow();
        return assertInstanceOf(LutMatrix.class, vector.bind(Harness.tensor("w", type, rows, cols, bytes), rows, cols).orElseThrow());
    }

    static byte[] randomTrits(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] t = new byte[n];
        for (int i = 0; i < n; i++) {
            t[i] = (byte) (rnd.nextInt(3) - 1);
        }
        return t;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
