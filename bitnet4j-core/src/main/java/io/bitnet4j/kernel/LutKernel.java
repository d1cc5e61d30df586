package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.SHORTS;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The lookup-table product of a {@link LutLayout} tile with int8 activations, at the width of {@link VectorWidth}.
 *
 * <p>Per token and group of 3 columns a table holds {@code Σ tk·qk} for all 27 trit combinations (int16,
 * 32 entries, 64 bytes); a tile's word vector then yields three index vectors (shifts), and each index vector
 * selects one partial sum per row from its table (one permute: {@code vpermi2w}). The int16 sums of a block are
 * exact ({@code |q| ≤ 127}: at most 86 groups × 381 = 32766 in magnitude for a 256-block), then widened to int32,
 * converted to float (exact below 2<sup>24</sup>) and accumulated per row as {@code acc = fma(sum_b, d_b·d8_b, acc)}
 * block by block: the order {@link #referenceDot} states. Each hot loop is one method, because the JIT does not
 * inline helpers into large Vector API loops.
 */
final class LutKernel {
    /** Bytes of one table: 32 int16 entries (27 used). */
    static final int TABLE_BYTES = 64;
    /** Tokens per pass of the batched loop: each weight word is loaded once for this many tokens. */
    static final int TOKENS = 4;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int R = SHORTS.length();
    private static final int HALF = R / 2;
    /** A table of 32 entries is one vector at 512 bits (both permute operands the same) or two at 256. */
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
     * Writes one token's tables for a layout of {@code blocks} blocks of {@code block} columns ({@code words}
     * words each) into {@code tables} at {@code at}, from the int8 values {@code q[from .. from+blocks·block)}.
     */
    static void buildTables(byte[] q, int from, int blocks, int block, int words, MemorySegment tables, long at) {
        ShortVector p0lo = ShortVector.fromArray(SHORTS, PATTERN[0], 0);
        ShortVector p1lo = ShortVector.fromArray(SHORTS, PATTERN[1], 0);
        ShortVector p2lo = ShortVector.fromArray(SHORTS, PATTERN[2], 0);
        ShortVector p0hi = ShortVector.fromArray(SHORTS, PATTERN[0], 32 - R);
        ShortVector p1hi = ShortVector.fromArray(SHORTS, PATTERN[1], 32 - R);
        ShortVector p2hi = ShortVector.fromArray(SHORTS, PATTERN[2], 32 - R);
        long t = at;
        for (int b = 0; b < blocks; b++) {
            int first = from + b * block;
            for (int g = 0; g < 3 * words; g++) {
                int c = 3 * g;
                short q0 = c < block ? q[first + c] : 0;
                short q1 = c + 1 < block ? q[first + c + 1] : 0;
                short q2 = c + 2 < block ? q[first + c + 2] : 0;
                p0lo.mul(q0).add(p1lo.mul(q1)).add(p2lo.mul(q2)).intoMemorySegment(tables, t, LE);
                if (HI != 0) {
                    p0hi.mul(q0).add(p1hi.mul(q1)).add(p2hi.mul(q2)).intoMemorySegment(tables, t + HI, LE);
                }
                t += TABLE_BYTES;
            }
        }
    }

    /**
     * One tile times one token: {@code out[outAt + lane]} = the tile row's dot product, summed as the class
     * comment says. {@code w}, {@code s} and {@code t} are the byte offsets of the tile's words, its scales
     * (advanced by {@code scaleStride} per block; stride 0 with one vector of ones for unscaled layouts) and
     * the token's tables; {@code d8[d8At + b]} is the activations' scale of block {@code b}.
     */
    static void dot1(MemorySegment words, long w, MemorySegment scales, long s, long scaleStride, MemorySegment tables,
            long t, float[] d8, int d8At, int blocks, int wordsPerBlock, float[] out, int outAt) {
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = FloatVector.zero(FLOATS);
        for (int b = 0; b < blocks; b++) {
            ShortVector sum = ShortVector.zero(SHORTS);
            for (int k = 0; k < wordsPerBlock; k++) {
                ShortVector v = ShortVector.fromMemorySegment(SHORTS, words, w, LE);
                w += 2L * R;
                sum = sum.add(v.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t, LE),
                        ShortVector.fromMemorySegment(SHORTS, tables, t + HI, LE)));
                ShortVector v1 = v.lanewise(VectorOperators.LSHR, 5);
                sum = sum.add(v1.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t + TABLE_BYTES, LE),
                        ShortVector.fromMemorySegment(SHORTS, tables, t + TABLE_BYTES + HI, LE)));
                ShortVector v2 = v.lanewise(VectorOperators.LSHR, 10);
                sum = sum.add(v2.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t + 2 * TABLE_BYTES, LE),
                        ShortVector.fromMemorySegment(SHORTS, tables, t + 2 * TABLE_BYTES + HI, LE)));
                t += 3 * TABLE_BYTES;
            }
            FloatVector f0 = (FloatVector) sum.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0);
            FloatVector f1 = (FloatVector) sum.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0);
            float d = d8[d8At + b];
            FloatVector sc0 = FloatVector.fromMemorySegment(FLOATS, scales, s, LE).mul(d);
            FloatVector sc1 = FloatVector.fromMemorySegment(FLOATS, scales, s + 4L * HALF, LE).mul(d);
            s += scaleStride;
            acc0 = f0.fma(sc0, acc0);
            acc1 = f1.fma(sc1, acc1);
        }
        acc0.intoArray(out, outAt);
        acc1.intoArray(out, outAt + HALF);
    }

    /**
     * One tile times {@link #TOKENS} tokens, each word loaded once: as {@link #dot1} for token {@code j} with
     * tables at {@code t + j·tableStride} and scales {@code d8[d8At + j·d8Stride + b]}, written to
     * {@code out[outAt + j·R + lane]}.
     */
    static void dot4(MemorySegment words, long w, MemorySegment scales, long s, long scaleStride, MemorySegment tables,
            long t, long tableStride, float[] d8, int d8At, int d8Stride, int blocks, int wordsPerBlock, float[] out,
            int outAt) {
        FloatVector a00 = FloatVector.zero(FLOATS), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        long t1 = t + tableStride;
        long t2 = t1 + tableStride;
        long t3 = t2 + tableStride;
        for (int b = 0; b < blocks; b++) {
            ShortVector s0 = ShortVector.zero(SHORTS), s1 = s0, s2 = s0, s3 = s0;
            for (int k = 0; k < wordsPerBlock; k++) {
                ShortVector v = ShortVector.fromMemorySegment(SHORTS, words, w, LE);
                w += 2L * R;
                for (int g = 0; g < 3; g++) {
                    ShortVector idx = g == 0 ? v : v.lanewise(VectorOperators.LSHR, 5 * g);
                    s0 = s0.add(idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t, LE),
                            ShortVector.fromMemorySegment(SHORTS, tables, t + HI, LE)));
                    s1 = s1.add(idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t1, LE),
                            ShortVector.fromMemorySegment(SHORTS, tables, t1 + HI, LE)));
                    s2 = s2.add(idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t2, LE),
                            ShortVector.fromMemorySegment(SHORTS, tables, t2 + HI, LE)));
                    s3 = s3.add(idx.selectFrom(ShortVector.fromMemorySegment(SHORTS, tables, t3, LE),
                            ShortVector.fromMemorySegment(SHORTS, tables, t3 + HI, LE)));
                    t += TABLE_BYTES;
                    t1 += TABLE_BYTES;
                    t2 += TABLE_BYTES;
                    t3 += TABLE_BYTES;
                }
            }
            FloatVector sc0 = FloatVector.fromMemorySegment(FLOATS, scales, s, LE);
            FloatVector sc1 = FloatVector.fromMemorySegment(FLOATS, scales, s + 4L * HALF, LE);
            s += scaleStride;
            int d = d8At + b;
            a00 = ((FloatVector) s0.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0)).fma(sc0.mul(d8[d]), a00);
            a01 = ((FloatVector) s0.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0)).fma(sc1.mul(d8[d]), a01);
            a10 = ((FloatVector) s1.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0)).fma(sc0.mul(d8[d + d8Stride]), a10);
            a11 = ((FloatVector) s1.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0)).fma(sc1.mul(d8[d + d8Stride]), a11);
            a20 = ((FloatVector) s2.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0)).fma(sc0.mul(d8[d + 2 * d8Stride]), a20);
            a21 = ((FloatVector) s2.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0)).fma(sc1.mul(d8[d + 2 * d8Stride]), a21);
            a30 = ((FloatVector) s3.convertShape(VectorOperators.S2I, INTS, 0).convert(VectorOperators.I2F, 0)).fma(sc0.mul(d8[d + 3 * d8Stride]), a30);
            a31 = ((FloatVector) s3.convertShape(VectorOperators.S2I, INTS, 1).convert(VectorOperators.I2F, 0)).fma(sc1.mul(d8[d + 3 * d8Stride]), a31);
        }
        a00.intoArray(out, outAt);
        a01.intoArray(out, outAt + HALF);
        a10.intoArray(out, outAt + R);
        a11.intoArray(out, outAt + R + HALF);
        a20.intoArray(out, outAt + 2 * R);
        a21.intoArray(out, outAt + 2 * R + HALF);
        a30.intoArray(out, outAt + 3 * R);
        a31.intoArray(out, outAt + 3 * R + HALF);
    }

    /**
     * The order the kernels follow, written plainly for one row and token: per block the exact integer
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
}
