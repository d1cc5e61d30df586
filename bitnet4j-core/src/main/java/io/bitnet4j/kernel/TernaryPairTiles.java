package io.bitnet4j.kernel;

import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.format.TernaryBlockFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact TQ2_0 and TQ1_0 products of many tokens (prompts and {@code perplexity} in llama.cpp's order) through lookup
 * tables, the same floats as {@link TernaryBlockMatrix} to the bit.
 *
 * <p>Why tables fit llama.cpp's order: its lane {@code k} of a block sums the elements at positions {@code 4k ..
 * 4k+3} of each 32-element run, and byte {@code m} of a TQ2_0 half-block holds the codes of four elements at position
 * {@code m} of four runs. So each 4-bit half of a byte (two codes) belongs to one lane, and its product with the
 * token's values is one of 16 numbers: {@code c0·q0 + c1·q1}, built once per token, half-byte position and block. The
 * products of 32 rows (16 at 256 bits) come out of one {@code selectFrom} (vpermw) of the codes of those rows, laid
 * side by side in 16-bit lanes; the lane sums are then the same integers as the scalar kernel's, in 16-bit lanes
 * (a lane starts at minus its values' sum and stays within ±12288), and each lane's fma is the scalar kernel's fma.
 *
 * <p>The side-by-side words are made per product from the file's bytes (each thread its own rows: about 1 µs per 32
 * rows × 256 weights, against 1-2 µs of products per token group; TQ1_0's are decoded first and laid out as TQ2_0's),
 * so the model keeps no second copy of its weights; below {@link #MIN_TOKENS} tokens the row-by-row kernel is faster.
 * Tokens go through four at a time, each word loaded once for the four (a last, shorter group repeats its last
 * token).
 */
final class TernaryPairTiles {
    private static final VectorSpecies<Short> SHORTS = VectorWidth.SHORTS;
    private static final VectorSpecies<Integer> INTS = VectorWidth.INTS;
    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    /** Rows per tile: one per 16-bit lane. */
    static final int ROWS = SHORTS.length();
    /** Rows per int or float vector: a tile's lane sums widen into two of them. */
    private static final int HALF = INTS.length();
    private static final int BLOCK = TernaryBlockFormat.BLOCK_SIZE;
    /** Byte positions per half-block, and words per tile-block: byte m of each half, side by side. */
    private static final int POSITIONS = 32;
    /** llama.cpp's lanes per block; each takes 4 consecutive positions. */
    private static final int LANES = 8;
    private static final int ENTRIES = 16;
    /** 16-entry tables per vector: two at 512 bits (the second picked by index | 16), one at 256. */
    private static final int PER_VECTOR = ROWS / ENTRIES;
    /** The four tables (one per half-byte of a word) of one position. */
    private static final int POSITION_SHORTS = 4 * ENTRIES;
    private static final int BLOCK_SHORTS = POSITIONS * POSITION_SHORTS;
    /** Where the vector holding half-byte j's table starts in a position's tables (half-byte 0's at 0). */
    private static final int O1 = (1 / PER_VECTOR) * ROWS;
    private static final int O2 = (2 / PER_VECTOR) * ROWS;
    private static final int O3 = (3 / PER_VECTOR) * ROWS;
    /** Tokens per weight load. */
    static final int TOKENS = 4;
    /** Below this many tokens the words cost more to make than they save. */
    static final int MIN_TOKENS = 8;
    private static final int CODE_BYTES = 64;
    private static final ValueLayout.OfLong LONGS = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort HALF_FLOAT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Each table entry's two codes: entry e multiplies {@code e & 3} and {@code e >> 2}. */
    private static final ShortVector FIRST_CODE = lanes(e -> e & 3);
    private static final ShortVector SECOND_CODE = lanes(e -> e >> 2);
    /** 1 in the lanes of a vector's second table (none at 256 bits). */
    private static final ShortVector SECOND_TABLE = ShortVector.fromArray(SHORTS, secondTable(), 0);

    private TernaryPairTiles() {}

    /** Per-thread working memory, grown on demand and kept (a thread's words, scales, tables and float lanes). */
    static final class Scratch {
        short[] words = new short[0];
        float[] scales = new float[0];
        short[] tables = new short[0];
        final float[] lanes = new float[TOKENS * LANES * ROWS];
        final short[] blockSums = new short[TOKENS * LANES * ROWS];
        final int[] tableAt = new int[TOKENS];
        final int[] d8At = new int[TOKENS];
        final int[] sumsAt = new int[TOKENS];
        /** One block's codes, for formats decoded before they are laid side by side. */
        final byte[] codes = new byte[BLOCK];
    }

    /**
     * Outputs {@code rowFrom .. rowFrom + tiles·ROWS} of the product of {@code m} (TQ2_0 or TQ1_0) with {@code in}
     * (Q8_K), into {@code out[outOffset + t·rows + r]}. Returns false, having written nothing, when a TQ2_0 block there
     * has a code 3 or a scale that is not finite, or lies outside the tensor: the scalar kernel reports those (a bad
     * TQ1_0 block throws its decoder's message here, the same).
     */
    static boolean multiply(TernaryBlockMatrix m, Activations in, int rowFrom, int tiles, float[] out, int outOffset, Scratch s) {
        int rows = m.rows;
        int cols = m.cols;
        int blocks = cols / BLOCK;
        if (m.format instanceof TQ2_0) {
            if (!sideBySide(m.data, blocks, rowFrom, tiles, s)) {
                return false;
            }
        } else {
            sideBySideDecoded(m, blocks, rowFrom, tiles, s);
        }
        byte[] q = in.quants(ActivationType.Q8_K);
        float[] d8 = in.scales(ActivationType.Q8_K);
        int[] sums32 = in.sums32();
        int tokens = in.rows();
        int perToken = blocks * BLOCK_SHORTS;
        if (s.tables.length < TOKENS * perToken) {
            s.tables = new short[TOKENS * perToken];
        }
        for (int t0 = 0; t0 < tokens; t0 += TOKENS) {
            int n = Math.min(TOKENS, tokens - t0);
            for (int j = 0; j < TOKENS; j++) {
                int t = t0 + Math.min(j, n - 1);
                s.tableAt[j] = Math.min(j, n - 1) * perToken;
                s.d8At[j] = t * blocks;
                s.sumsAt[j] = t * cols / 32;
            }
            for (int j = 0; j < n; j++) {
                buildTables(q, (t0 + j) * cols, blocks, s.tables, j * perToken);
            }
            for (int tile = 0; tile < tiles; tile++) {
                tileSums(s, tile * blocks, blocks, d8, sums32);
                for (int j = 0; j < n; j++) {
                    finish(s.lanes, j, out, outOffset + (t0 + j) * rows + rowFrom + tile * ROWS);
                }
            }
        }
        return true;
    }

    /**
     * Lays the codes of the tiles side by side: word {@code m} of tile-block {@code (tile, b)} holds, in lane r,
     * byte m (low) and byte 32 + m (high) of block b of row {@code rowFrom + tile·ROWS + r}; and each row's block
     * scale as a float. False if a block has a code 3, a scale that is not finite, or is not inside {@code data}.
     */
    private static boolean sideBySide(MemorySegment data, int blocks, int rowFrom, int tiles, Scratch s) {
        int blockBytes = 2 + CODE_BYTES;
        long end = ((long) (rowFrom + tiles * ROWS) * blocks) * blockBytes;
        if (end > data.byteSize()) {
            return false;
        }
        grow(s, tiles, blocks);
        short[] w = s.words;
        long threes = 0;
        boolean finite = true;
        for (int tile = 0; tile < tiles; tile++) {
            for (int r = 0; r < ROWS; r++) {
                long row = rowFrom + (long) tile * ROWS + r;
                for (int b = 0; b < blocks; b++) {
                    long at = (row * blocks + b) * blockBytes;
                    int to = (tile * blocks + b) * POSITIONS * ROWS + r;
                    for (int i = 0; i < 4; i++) { // 8 positions per long: low bytes from the first half, high from the second
                        long lo = data.get(LONGS, at + 8 * i);
                        long hi = data.get(LONGS, at + POSITIONS + 8 * i);
                        threes |= (lo & (lo >>> 1)) | (hi & (hi >>> 1));
                        for (int p = 0; p < 8; p++) {
                            int m = 8 * i + p;
                            w[to + m * ROWS] = (short) ((lo >>> (8 * p)) & 0xFF | ((hi >>> (8 * p)) & 0xFF) << 8);
                        }
                    }
                    float d = Float.float16ToFloat(data.get(HALF_FLOAT, at + CODE_BYTES));
                    finite &= Float.isFinite(d);
                    s.scales[(tile * blocks + b) * ROWS + r] = d;
                }
            }
        }
        // a 2-bit code 3 has both bits set: its low bit survives b & (b >>> 1) & 0x55 in every field
        return finite && (threes & 0x5555_5555_5555_5555L) == 0;
    }

    /**
     * {@link #sideBySide} for any ternary block format: each block's codes decoded by {@code m} (which throws the
     * scalar kernel's message for a bad block), then laid out as TQ2_0 holds them, the code of element {@code 128·h
     * + 32·f + m} in bits {@code 2f} of byte m of half h. TQ1_0 has the same lanes in llama.cpp's kernels (element e in
     * lane (e mod 32) / 4), so the same tables serve it.
     */
    private static void sideBySideDecoded(TernaryBlockMatrix m, int blocks, int rowFrom, int tiles, Scratch s) {
        grow(s, tiles, blocks);
        short[] w = s.words;
        byte[] c = s.codes;
        for (int tile = 0; tile < tiles; tile++) {
            for (int r = 0; r < ROWS; r++) {
                long row = rowFrom + (long) tile * ROWS + r;
                for (int b = 0; b < blocks; b++) {
                    s.scales[(tile * blocks + b) * ROWS + r] = m.decodeForProducts(row * blocks + b, c, 0);
                    int to = (tile * blocks + b) * POSITIONS * ROWS + r;
                    for (int p = 0; p < POSITIONS; p++) {
                        int lo = c[p] | c[32 + p] << 2 | c[64 + p] << 4 | c[96 + p] << 6;
                        int hi = c[128 + p] | c[160 + p] << 2 | c[192 + p] << 4 | c[224 + p] << 6;
                        w[to + p * ROWS] = (short) (lo | hi << 8);
                    }
                }
            }
        }
    }

    private static void grow(Scratch s, int tiles, int blocks) {
        int words = tiles * blocks * POSITIONS * ROWS;
        if (s.words.length < words) {
            s.words = new short[words];
            s.scales = new float[tiles * blocks * ROWS];
        }
    }

    /**
     * The tables of the token whose values start at {@code q[x]}, into {@code tables[to ..]}: per block and position
     * m, four tables of 16, for the half-bytes of byte m (fields 0-1 and 2-3, elements m + 32·field) and of byte
     * 32 + m (the same, 128 further); entry e is {@code (e & 3)·q0 + (e >> 2)·q1}.
     */
    private static void buildTables(byte[] q, int x, int blocks, short[] tables, int to) {
        for (int b = 0; b < blocks; b++) {
            int xb = x + b * BLOCK;
            for (int m = 0; m < POSITIONS; m++) {
                int at = to + b * BLOCK_SHORTS + m * POSITION_SHORTS;
                for (int v = 0; v < 4 / PER_VECTOR; v++) {
                    int first = v * PER_VECTOR; // the vector's first table, fields 2·(table mod 2) of half table / 2
                    int e0 = xb + (first / 2) * 128 + 64 * (first % 2) + m;
                    ShortVector q0 = ShortVector.broadcast(SHORTS, q[e0]);
                    ShortVector q1 = ShortVector.broadcast(SHORTS, q[e0 + 32]);
                    if (PER_VECTOR == 2) { // the second table: fields 2 and 3 of the same half
                        q0 = q0.add(SECOND_TABLE.mul((short) (q[e0 + 64] - q[e0])));
                        q1 = q1.add(SECOND_TABLE.mul((short) (q[e0 + 96] - q[e0 + 32])));
                    }
                    q0.mul(FIRST_CODE).add(q1.mul(SECOND_CODE)).intoArray(tables, at + v * ROWS);
                }
            }
        }
    }

    /**
     * One tile's lane sums for the four tokens of the group, block by block into {@link Scratch#lanes} (token j's
     * lane k of the tile's rows at {@code (j·8 + k)·ROWS}), each block's as the scalar kernel adds it.
     */
    private static void tileSums(Scratch s, int tileBlock, int blocks, float[] d8, int[] sums32) {
        Arrays.fill(s.lanes, 0f);
        for (int b = 0; b < blocks; b++) {
            blockSums(s.words, (tileBlock + b) * POSITIONS * ROWS, s.tables, b * BLOCK_SHORTS, s.tableAt, sums32, s.sumsAt, b, s.blockSums);
            addBlock(s, b, (tileBlock + b) * ROWS, d8);
        }
    }

    /**
     * The integer lane sums of one tile-block for four tokens, less their values' sums ({@code sums32}, block
     * {@code b}): token j's lane k, for the tile's rows, into {@code sums[(j·8 + k)·ROWS ..]}. Its own method, as {@link #addBlock}: in one method with its caller the JIT ran
     * out of inlining budget and left Vector API calls as calls (six times slower).
     */
    private static void blockSums(short[] words, int w, short[] tables, int tb, int[] tableAt, int[] sums32, int[] sumsAt, int b,
            short[] sums) {
        int ta0 = tableAt[0] + tb, ta1 = tableAt[1] + tb, ta2 = tableAt[2] + tb, ta3 = tableAt[3] + tb;
        for (int k = 0; k < LANES; k++) {
            // each lane starts at minus its values' sum (at most 32·128), so it ends within ±12288: 16 bits hold it
            int at = b * LANES + k;
            ShortVector c0 = ShortVector.broadcast(SHORTS, (short) -sums32[sumsAt[0] + at]);
            ShortVector c1 = ShortVector.broadcast(SHORTS, (short) -sums32[sumsAt[1] + at]);
            ShortVector c2 = ShortVector.broadcast(SHORTS, (short) -sums32[sumsAt[2] + at]);
            ShortVector c3 = ShortVector.broadcast(SHORTS, (short) -sums32[sumsAt[3] + at]);
            for (int i = 0; i < 4; i++) {
                int m = 4 * k + i;
                ShortVector v = ShortVector.fromArray(SHORTS, words, w + m * ROWS);
                ShortVector x0 = v.and((short) 0xF);
                ShortVector x1 = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF);
                ShortVector x2 = v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF);
                ShortVector x3 = v.lanewise(VectorOperators.LSHR, 12);
                if (PER_VECTOR == 2) { // half-bytes 1 and 3 use the second table of their vector
                    x1 = x1.or((short) ENTRIES);
                    x3 = x3.or((short) ENTRIES);
                }
                int p = m * POSITION_SHORTS;
                c0 = c0.lanewise(VectorOperators.ADD, x0.selectFrom(ShortVector.fromArray(SHORTS, tables, ta0 + p)))
                        .add(x1.selectFrom(ShortVector.fromArray(SHORTS, tables, ta0 + p + O1)))
                        .add(x2.selectFrom(ShortVector.fromArray(SHORTS, tables, ta0 + p + O2)))
                        .add(x3.selectFrom(ShortVector.fromArray(SHORTS, tables, ta0 + p + O3)));
                c1 = c1.lanewise(VectorOperators.ADD, x0.selectFrom(ShortVector.fromArray(SHORTS, tables, ta1 + p)))
                        .add(x1.selectFrom(ShortVector.fromArray(SHORTS, tables, ta1 + p + O1)))
                        .add(x2.selectFrom(ShortVector.fromArray(SHORTS, tables, ta1 + p + O2)))
                        .add(x3.selectFrom(ShortVector.fromArray(SHORTS, tables, ta1 + p + O3)));
                c2 = c2.lanewise(VectorOperators.ADD, x0.selectFrom(ShortVector.fromArray(SHORTS, tables, ta2 + p)))
                        .add(x1.selectFrom(ShortVector.fromArray(SHORTS, tables, ta2 + p + O1)))
                        .add(x2.selectFrom(ShortVector.fromArray(SHORTS, tables, ta2 + p + O2)))
                        .add(x3.selectFrom(ShortVector.fromArray(SHORTS, tables, ta2 + p + O3)));
                c3 = c3.lanewise(VectorOperators.ADD, x0.selectFrom(ShortVector.fromArray(SHORTS, tables, ta3 + p)))
                        .add(x1.selectFrom(ShortVector.fromArray(SHORTS, tables, ta3 + p + O1)))
                        .add(x2.selectFrom(ShortVector.fromArray(SHORTS, tables, ta3 + p + O2)))
                        .add(x3.selectFrom(ShortVector.fromArray(SHORTS, tables, ta3 + p + O3)));
            }
            c0.intoArray(sums, k * ROWS);
            c1.intoArray(sums, (LANES + k) * ROWS);
            c2.intoArray(sums, (2 * LANES + k) * ROWS);
            c3.intoArray(sums, (3 * LANES + k) * ROWS);
        }
    }

    /**
     * Adds block b's lane sums ({@link Scratch#blockSums}, already less the values' sums) to the four tokens' float
     * lanes as the scalar kernel does: {@code lanes = fma((float) lane, d8 · d, lanes)}, row by row, {@code d} the
     * rows' block scales at {@code scales[sc ..]}.
     */
    private static void addBlock(Scratch s, int b, int sc, float[] d8) {
        short[] sums = s.blockSums;
        float[] lanes = s.lanes;
        for (int j = 0; j < TOKENS; j++) {
            float dj = d8[s.d8At[j] + b];
            for (int part = 0; part < 2; part++) {
                FloatVector scale = FloatVector.fromArray(FLOATS, s.scales, sc + part * HALF).mul(dj);
                for (int k = 0; k < LANES; k++) {
                    int at = (j * LANES + k) * ROWS;
                    IntVector lane = (IntVector) ShortVector.fromArray(SHORTS, sums, at).convertShape(VectorOperators.S2I, INTS, part);
                    FloatVector f = (FloatVector) lane.convertShape(VectorOperators.I2F, FLOATS, 0);
                    int to = at + part * HALF;
                    f.fma(scale, FloatVector.fromArray(FLOATS, lanes, to)).intoArray(lanes, to);
                }
            }
        }
    }

    /** Token j's 8 lanes summed as llama.cpp's hsum_float_8, ((0+4)+(2+6)) + ((1+5)+(3+7)), into {@code out[to ..]}. */
    private static void finish(float[] lanes, int j, float[] out, int to) {
        for (int part = 0; part < 2; part++) {
            int at = j * LANES * ROWS + part * HALF;
            FloatVector l0 = FloatVector.fromArray(FLOATS, lanes, at);
            FloatVector l1 = FloatVector.fromArray(FLOATS, lanes, at + ROWS);
            FloatVector l2 = FloatVector.fromArray(FLOATS, lanes, at + 2 * ROWS);
            FloatVector l3 = FloatVector.fromArray(FLOATS, lanes, at + 3 * ROWS);
            FloatVector l4 = FloatVector.fromArray(FLOATS, lanes, at + 4 * ROWS);
            FloatVector l5 = FloatVector.fromArray(FLOATS, lanes, at + 5 * ROWS);
            FloatVector l6 = FloatVector.fromArray(FLOATS, lanes, at + 6 * ROWS);
            FloatVector l7 = FloatVector.fromArray(FLOATS, lanes, at + 7 * ROWS);
            l0.add(l4).add(l2.add(l6)).add(l1.add(l5).add(l3.add(l7))).intoArray(out, to + part * HALF);
        }
    }

    private static ShortVector lanes(java.util.function.IntUnaryOperator entry) {
        short[] a = new short[ROWS];
        for (int l = 0; l < ROWS; l++) {
            a[l] = (short) entry.applyAsInt(l % ENTRIES);
        }
        return ShortVector.fromArray(SHORTS, a, 0);
    }

    private static short[] secondTable() {
        short[] a = new short[ROWS];
        for (int l = ENTRIES; l < ROWS && PER_VECTOR == 2; l++) {
            a[l] = 1;
        }
        return a;
    }
}
