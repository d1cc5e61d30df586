package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.SHORTS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The lookup-table product of a {@link LutLayout} tile with int8 activations, at the width of {@link VectorWidth}.
 *
 * <p>Per token and group of 3 columns a table holds {@code Σ tk·qk} for all 27 trit combinations (int16,
 * 32 entries, 64 bytes); a tile's word vector then yields three index vectors (shifts), and each index vector
 * selects one partial sum per row from its table (one permute: {@code vpermw} at 512 bits, {@code vpermi2w} over two vectors at 256). The int16 sums of a block are
 * exact ({@code |q| ≤ 127}: at most 86 groups × 381 = 32766 in magnitude for a 256-block), then widened to int32,
 * converted to float (exact below 2<sup>24</sup>) and accumulated per row as {@code acc = fma(sum_b, d_b·d8_b, acc)}
 * block by block (for I2_S, whose layout has no scales, every factor is 1 and the float total is the exact
 * integer). The kernels sweep one block over a run of tiles, so
 * the block's tables (5.5 KB per token for 256 columns) stay in the L1 cache while the weights stream through
 * (tables of a whole row, up to 150 KB, would be fetched from L2 for every tile and starve the stream). Each hot
 * loop is one method, because the JIT does not inline helpers into large Vector API loops.
 */
final class LutKernel {
    /** Bytes of one table: 32 int16 entries (27 used). */
    static final int TABLE_BYTES = 64;
    /** Tokens per pass of the batched loop: each weight word is loaded once for this many tokens. */
    static final int TOKENS = 4;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int R = SHORTS.length();
    private static final int HALF = R / 2;
    /**
     * A table of 32 entries is one vector at 512 bits or two at 256 ({@code HI}: the second half's offset, 0 when
     * there is none). With one vector the kernels select with the one-source {@code selectFrom(table)}
     * ({@code vpermw}) rather than the two-source form with the same vector twice ({@code vpermi2w}/{@code vpermt2w},
     * which overwrites one of its inputs, so the JIT adds a copy per lookup, and which costs more micro-ops on
     * Intel cores): the one-token product in the L2 cache ran 12 % faster (docs/bench-log.md, session 10). Both forms
     * take an index's low 5 bits, so the sums are the same integers.
     */
    private static final long HI = R >= 32 ? 0 : (long) R * Short.BYTES;
    /** For table entry {@code i < 27}: trit k of its combination; 0 beyond. */
    private static final short[][] PATTERN = new short[3][32];

    static {
        for (int i = 0; i < 27; i++) {
            PATTERN[0][i] = (short) (i / 9 - 1);
            PATTERN[1][i] = (short) (i / 3 % 3 - 1);
            PATTERN[2][i] = (short) (i % 3 - 1);
        }
    }

    private LutKernel() {}

    /** Rows per tile at this width. */
    static int tileRows() {
        return R;
    }

    /**
     * One tile's block scales, all 1.0f, for layouts without block scales (a scale step of 0 reads it for every
     * tile and block); never written after it is made.
     */
    static final MemorySegment UNIT_SCALES = unitScales();

    private static MemorySegment unitScales() {
        MemorySegment ones = Arena.ofAuto().allocate((long) R * Float.BYTES, 64);
        for (int i = 0; i < R; i++) {
            ones.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
        }
        return ones;
    }

    /**
     * Writes one token's tables for a layout of {@code blocks} blocks of {@code block} columns ({@code words}
     * words each) into {@code tables} at {@code at}, from the int8 values {@code q[from .. from+blocks·block)}.
     */
    static void buildTables(byte[] q, int from, int blocks, int block, int words, MemorySegment tables, long at) {
        tables = SegmentKinds.NATIVE.cast(tables); // the stores need no profile to be inlined: see SegmentKinds
        ShortVector p0lo = ShortVector.fromArray(SHORTS, PATTERN[0], 0);
        ShortVector p1lo = ShortVector.fromArray(SHORTS, PATTERN[1], 0);
        ShortVector p2lo = ShortVector.fromArray(SHORTS, PATTERN[2], 0);
        ShortVector p0hi = ShortVector.fromArray(SHORTS, PATTERN[0], 32 - R);
        ShortVector p1hi = ShortVector.fromArray(SHORTS, PATTERN[1], 32 - R);
        ShortVector p2hi = ShortVector.fromArray(SHORTS, PATTERN[2], 32 - R);
        int groups = 3 * words;
        // the groups whose three values all lie inside the block, then at most one group with the block's last one or
        // two values, then groups of padding. No load in a loop is conditional: from such a loop's branch profile, C2
        // hoisted the loads' range checks, which failed for the last block of the array (four deoptimizations a run,
        // after which it compiles the loop without that optimization)
        int whole = Math.min(groups, block / 3);
        int rest = block - 3 * whole; // values left after the whole groups, if groups remain
        long t = at;
        for (int b = 0; b < blocks; b++) {
            int first = from + b * block;
            for (int g = 0; g < whole; g++) {
                int c = first + 3 * g;
                t = putTable(q[c], q[c + 1], q[c + 2], p0lo, p1lo, p2lo, p0hi, p1hi, p2hi, tables, t);
            }
            if (whole < groups) {
                int c = first + 3 * whole;
                short q0 = rest > 0 ? q[c] : 0;
                short q1 = rest > 1 ? q[c + 1] : 0;
                t = putTable(q0, q1, (short) 0, p0lo, p1lo, p2lo, p0hi, p1hi, p2hi, tables, t);
                for (int g = whole + 1; g < groups; g++) {
                    t = putTable((short) 0, (short) 0, (short) 0, p0lo, p1lo, p2lo, p0hi, p1hi, p2hi, tables, t);
                }
            }
        }
    }

    /** Writes the table of one group of three values at {@code t}; returns where the next one goes. */
    private static long putTable(short q0, short q1, short q2, ShortVector p0lo, ShortVector p1lo, ShortVector p2lo,
            ShortVector p0hi, ShortVector p1hi, ShortVector p2hi, MemorySegment tables, long t) {
        tables = SegmentKinds.NATIVE.cast(tables); // as in buildTables, for a compile of this method alone
        p0lo.mul(q0).add(p1lo.mul(q1)).add(p2lo.mul(q2)).intoMemorySegment(tables, t, LE);
        if (HI != 0) {
            p0hi.mul(q0).add(p1hi.mul(q1)).add(p2hi.mul(q2)).intoMemorySegment(tables, t + HI, LE);
        }
        return t + TABLE_BYTES;
    }

    /**
     * One block of a run of {@code tiles} consecutive tiles times one token, added to the tiles' float sums:
     * {@code acc[accAt + i·R + lane] = fma((float) Σ_block, scale · d8, acc[...])} for tile {@code i}. The tiles'
     * words start at byte {@code w} (one tile's block after another, {@code tileBytes} each), their scales at
     * {@code s} ({@code scaleStep} bytes per tile; 0 with one vector of ones for unscaled layouts), the token's
     * tables of this block at {@code t}. Tiles go in pairs, sharing each table load and giving the core two
     * independent sums; an odd last tile is paired with itself and written once. The pair's bytes are touched
     * {@code ahead} bytes ahead ({@link ReadAhead}) as one linear stream; returns the touched bytes' sum, for the caller's sink.
     */
    static int block1(MemorySegment words, long w, long tileBytes, int tiles, MemorySegment scales, long s, long scaleStep,
            MemorySegment tables, long t, float d8, int wordsPerBlock, float[] acc, int accAt, long ahead) {
        // all three are native by construction (LutLayout, KernelScratch): said so, the loads need no profile to be
        // inlined (SegmentKinds)
        words = SegmentKinds.NATIVE.cast(words);
        scales = SegmentKinds.NATIVE.cast(scales);
        tables = SegmentKinds.NATIVE.cast(tables);
        long last = words.byteSize() - 1;
        int sink = 0;
        for (int i = 0; i < tiles; i += 2) {
            boolean two = i + 1 < tiles;
            long w2 = two ? w + tileBytes : w;
            ShortVector sa = ShortVector.zero(SHORTS);
            ShortVector sb = sa;
            long tp = t;
            for (int k = 0; k < wordsPerBlock; k++) {
                long o = 2L * R * k;
                sink += ReadAhead.touch(words, w + 2 * o, ahead, last); // the pair's bytes, read ahead as one linear stream
                sink += ReadAhead.touch(words, w + 2 * o + 2L * R, ahead, last);
                // vb first: with the loads declared in this order C2 emits code that ran 2-6 % faster in 7 of 7
                // alternating rounds (the feed-forward products at one thread), as the order of a step's loads
                // matters to the hardware prefetcher (docs/bench-log.md)
                ShortVector vb = ShortVector.fromMemorySegment(SHORTS, words, w2 + o, LE);
                ShortVector va = ShortVector.fromMemorySegment(SHORTS, words, w + o, LE);
                ShortVector t0lo = ShortVector.fromMemorySegment(SHORTS, tables, tp, LE);
                ShortVector t0hi = ShortVector.fromMemorySegment(SHORTS, tables, tp + HI, LE);
                ShortVector t1lo = ShortVector.fromMemorySegment(SHORTS, tables, tp + TABLE_BYTES, LE);
                ShortVector t1hi = ShortVector.fromMemorySegment(SHORTS, tables, tp + TABLE_BYTES + HI, LE);
                ShortVector t2lo = ShortVector.fromMemorySegment(SHORTS, tables, tp + 2 * TABLE_BYTES, LE);
                ShortVector t2hi = ShortVector.fromMemorySegment(SHORTS, tables, tp + 2 * TABLE_BYTES + HI, LE);
                if (HI == 0) { // one table vector: the one-source permute (see HI)
                    sa = sa.lanewise(VectorOperators.ADD, va.selectFrom(t0lo))
                            .add(va.lanewise(VectorOperators.LSHR, 5).selectFrom(t1lo))
                            .add(va.lanewise(VectorOperators.LSHR, 10).selectFrom(t2lo));
                    sb = sb.lanewise(VectorOperators.ADD, vb.selectFrom(t0lo))
                            .add(vb.lanewise(VectorOperators.LSHR, 5).selectFrom(t1lo))
                            .add(vb.lanewise(VectorOperators.LSHR, 10).selectFrom(t2lo));
                } else {
                    sa = sa.lanewise(VectorOperators.ADD, va.selectFrom(t0lo, t0hi))
                            .add(va.lanewise(VectorOperators.LSHR, 5).selectFrom(t1lo, t1hi))
                            .add(va.lanewise(VectorOperators.LSHR, 10).selectFrom(t2lo, t2hi));
                    sb = sb.lanewise(VectorOperators.ADD, vb.selectFrom(t0lo, t0hi))
                            .add(vb.lanewise(VectorOperators.LSHR, 5).selectFrom(t1lo, t1hi))
                            .add(vb.lanewise(VectorOperators.LSHR, 10).selectFrom(t2lo, t2hi));
                }
                tp += 3 * TABLE_BYTES;
            }
            int a = accAt + i * R;
            FloatVector sc0 = FloatVector.fromMemorySegment(FLOATS, scales, s, LE).mul(d8);
            FloatVector sc1 = FloatVector.fromMemorySegment(FLOATS, scales, s + 4L * HALF, LE).mul(d8);
            ((FloatVector) sa.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0))
                    .fma(sc0, FloatVector.fromArray(FLOATS, acc, a)).intoArray(acc, a);
            ((FloatVector) sa.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0))
                    .fma(sc1, FloatVector.fromArray(FLOATS, acc, a + HALF)).intoArray(acc, a + HALF);
            if (two) {
                long s2 = s + scaleStep;
                FloatVector sd0 = FloatVector.fromMemorySegment(FLOATS, scales, s2, LE).mul(d8);
                FloatVector sd1 = FloatVector.fromMemorySegment(FLOATS, scales, s2 + 4L * HALF, LE).mul(d8);
                ((FloatVector) sb.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0))
                        .fma(sd0, FloatVector.fromArray(FLOATS, acc, a + R)).intoArray(acc, a + R);
                ((FloatVector) sb.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0))
                        .fma(sd1, FloatVector.fromArray(FLOATS, acc, a + R + HALF)).intoArray(acc, a + R + HALF);
            }
            w += 2 * tileBytes;
            s += 2 * scaleStep;
        }
        return sink;
    }

    /**
     * {@link #block1} for {@link #TOKENS} tokens, each word loaded once: token {@code j}'s tables of this block at
     * {@code t + j·tableStride}, its activation scale {@code d8[d8At + j·d8Stride]}, its sums at
     * {@code acc[accAt + j·accStride + i·R + lane]}. One tile at a time (the four tokens give the independent sums).
     */
    static void block4(MemorySegment words, long w, long tileBytes, int tiles, MemorySegment scales, long s, long scaleStep,
            MemorySegment tables, long t, long tableStride, float[] d8, int d8At, int d8Stride, int wordsPerBlock,
            float[] acc, int accAt, int accStride) {
        words = SegmentKinds.NATIVE.cast(words); // as in block1
        scales = SegmentKinds.NATIVE.cast(scales);
        tables = SegmentKinds.NATIVE.cast(tables);
        float e0 = d8[d8At];
        float e1 = d8[d8At + d8Stride];
        float e2 = d8[d8At + 2 * d8Stride];
        float e3 = d8[d8At + 3 * d8Stride];
        for (int i = 0; i < tiles; i++) {
            ShortVector s0 = ShortVector.zero(SHORTS), s1 = s0, s2 = s0, s3 = s0;
            long t0 = t;
            long t1 = t + tableStride;
            long t2 = t1 + tableStride;
            long t3 = t2 + tableStride;
            for (int k = 0; k < wordsPerBlock; k++) {
                ShortVector v = ShortVector.fromMemorySegment(SHORTS, words, w + 2L * R * k, LE);
                for (int g = 0; g < 3; g++) {
                    ShortVector idx = v.lanewise(VectorOperators.LSHR, 5 * g);
                    if (HI == 0) { // one table vector: the one-source permute (see HI)
                        s0 = s0.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t0, LE)));
                        s1 = s1.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t1, LE)));
                        s2 = s2.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t2, LE)));
                        s3 = s3.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t3, LE)));
                    } else {
                        s0 = s0.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t0, LE),
                                ShortVector.fromMemorySegment(SHORTS, tables, t0 + HI, LE)));
                        s1 = s1.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t1, LE),
                                ShortVector.fromMemorySegment(SHORTS, tables, t1 + HI, LE)));
                        s2 = s2.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t2, LE),
                                ShortVector.fromMemorySegment(SHORTS, tables, t2 + HI, LE)));
                        s3 = s3.lanewise(VectorOperators.ADD, idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t3, LE),
                                ShortVector.fromMemorySegment(SHORTS, tables, t3 + HI, LE)));
                    }
                    t0 += TABLE_BYTES;
                    t1 += TABLE_BYTES;
                    t2 += TABLE_BYTES;
                    t3 += TABLE_BYTES;
                }
            }
            FloatVector sc0 = FloatVector.fromMemorySegment(FLOATS, scales, s, LE);
            FloatVector sc1 = FloatVector.fromMemorySegment(FLOATS, scales, s + 4L * HALF, LE);
            int a = accAt + i * R;
            for (int j = 0; j < TOKENS; j++) { // once per tile and block: off the inner loop
                ShortVector sum = j == 0 ? s0 : j == 1 ? s1 : j == 2 ? s2 : s3;
                float e = j == 0 ? e0 : j == 1 ? e1 : j == 2 ? e2 : e3;
                int at = a + j * accStride;
                ((FloatVector) sum.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0))
                        .fma(sc0.mul(e), FloatVector.fromArray(FLOATS, acc, at)).intoArray(acc, at);
                ((FloatVector) sum.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0))
                        .fma(sc1.mul(e), FloatVector.fromArray(FLOATS, acc, at + HALF)).intoArray(acc, at + HALF);
            }
            w += tileBytes;
            s += scaleStep;
        }
    }
}
