package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.HALF_BYTES;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;
import static io.bitnet4j.kernel.VectorWidth.SHORTS;

import io.bitnet4j.format.Q4_K;
import io.bitnet4j.format.Q8_K;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vectorized kernel for Q4_K weights (the token embedding of many llama-quantize files), read in place. Sub-blocks
 * {@code 2k} and {@code 2k+1} of a super-block ({@link Q4_K}) share 32 code bytes, the first in the low nibbles and
 * the second in the high ones, so one L-byte load widened to int lanes makes a weight vector of each. A weight is
 * {@code (d·sc)·q − dmin·m} as ggml's {@code dequantize_row_q4_K} computes it, in float32, then FMA'd with the float
 * activations. ggml rounds the product and the difference separately, but the products are exact (an fp16 times a
 * 6-bit integer has at most 17 significant bits, times a 4-bit code 21, under float32's 24), so one fused
 * multiply-subtract per weight gives the same bits. Kernel-order products only; the others, and embedding rows, go to the codec matrix
 * ({@link CodecKernels}) as before.
 *
 * <p>Fast products take int8 activations ({@link #fastActivationType()} Q8_K), as llama.cpp multiplies Q4_K (the
 * layers of Q4_K_M files): {@link #quantDots} multiplies the codes by the int8 values in int16 lanes, sums adjacent pairs
 * and scales them per 32-value sub-block in int32, and takes the minimums' term from the activations' sums of 32.
 */
final class Q4_KVectorMatrix extends InPlaceVectorMatrix {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    /** int16 lanes of a vector: code bytes per run of {@link #quantDots}. */
    private static final int R = SHORTS.length();
    /** Eight int32 or float lanes, one per sub-block: the minimums' term. */
    private static final VectorSpecies<Integer> EIGHT_INTS = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> EIGHT_FLOATS = FloatVector.SPECIES_256;
    private static final int BLOCK = Q4_K.BLOCK_SIZE;
    private static final int BLOCK_BYTES = Q4_K.BLOCK_BYTES;
    private static final int SCALES = 4;
    private static final int QS = 16;

    static {
        if (BLOCK != Q8_K.BLOCK_SIZE) { // quantDots scales each Q4_K block by one Q8_K block's d
            throw new IllegalStateException("Q4_K and Q8_K blocks must line up: " + BLOCK + " and " + Q8_K.BLOCK_SIZE);
        }
    }

    Q4_KVectorMatrix(String name, int rows, int cols, MemorySegment data, WeightMatrix exact) {
        super(name, GgmlType.Q4_K, rows, cols, data, exact, (long) cols / BLOCK * BLOCK_BYTES);
    }

    /**
     * Per super-block: {@link ReadAhead} touched at bytes 0, 64 and 128 (the next block starts 16 bytes after the last
     * touch, so every cache line is touched); the 12 packed scale bytes read as one long and one int, and per pair of
     * sub-blocks their 6-bit scales and minimums shifted out of them (the packing of {@link Q4_K}; unpacking all eight
     * at once, as {@link #quantDots} does, made this loop 6 % slower), and the 32 code bytes as pairs of L-byte runs
     * into four independent sums.
     */
    @Override
    float dots(long p, long ahead, MemorySegment xs, long x, int tokens, KernelScratch scratch) {
        boolean two = tokens > 1;
        FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0; // the second token's
        FloatVector e0 = a0, e1 = a0, e2 = a0, e3 = a0, f0 = a0, f1 = a0, f2 = a0, f3 = a0; // a third's and a fourth's
        boolean four = tokens > 2;
        long next = 4L * cols; // from the first token's values to the second's, in bytes
        int blocks = cols / BLOCK;
        IntVector touched = IntVector.zero(ReadAhead.TOUCH);
        for (int b = 0; b < blocks; b++) {
            long q = p + (long) b * BLOCK_BYTES;
            touched = touched.lanewise(VectorOperators.ADD, IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 64 + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 128 + ahead, LE));
            float d = Float.float16ToFloat(data.get(HALF, q));
            float dmin = Float.float16ToFloat(data.get(HALF, q + 2));
            long low = data.get(LONG, q + SCALES); // scales[0..7]
            long high = data.get(INT, q + SCALES + 8) & 0xFFFF_FFFFL; // scales[8..11]
            for (int k = 0; k < 4; k++) {
                int sc0, m0, sc1, m1; // sub-blocks 2k (low nibbles) and 2k + 1 (high nibbles)
                if (k < 2) { // sub-blocks j = 0..3: the low 6 bits of scales[j] and scales[j + 4]
                    long bits = low >>> (16 * k);
                    sc0 = (int) bits & 63;
                    sc1 = (int) (bits >>> 8) & 63;
                    m0 = (int) (bits >>> 32) & 63;
                    m1 = (int) (bits >>> 40) & 63;
                } else { // sub-blocks j = 4..7: the nibbles of scales[j + 4], the top bits of scales[j − 4] (sc) and scales[j] (m)
                    long nibbles = high >>> (16 * (k - 2));
                    long tops = low >>> (16 * (k - 2) + 6);
                    sc0 = (int) (nibbles & 0x0F | (tops & 3) << 4);
                    m0 = (int) (nibbles >>> 4 & 0x0F | (tops >>> 32 & 3) << 4);
                    sc1 = (int) (nibbles >>> 8 & 0x0F | (tops >>> 8 & 3) << 4);
                    m1 = (int) (nibbles >>> 12 & 0x0F | (tops >>> 40 & 3) << 4);
                }
                // exact products (see the class comment), so the fused multiply-subtract rounds as ggml's two steps
                float scale0 = d * sc0, min0 = -(dmin * m0), scale1 = d * sc1, min1 = -(dmin * m1);
                long codes = q + QS + 32 * k;
                long c = x + 4L * (b * BLOCK + 64 * k); // these sub-blocks' activations, in bytes
                for (int l = 0; l < 32; l += 2 * L) {
                    IntVector u = (IntVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, codes + l, LE)
                            .convertShape(VectorOperators.B2I, INTS, 0);
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, codes + l + L, LE)
                            .convertShape(VectorOperators.B2I, INTS, 0);
                    FloatVector u0 = ((FloatVector) u.and(0x0F).convert(VectorOperators.I2F, 0)).fma(scale0, min0);
                    FloatVector v0 = ((FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0)).fma(scale0, min0);
                    FloatVector u1 = ((FloatVector) u.lanewise(VectorOperators.ASHR, 4).and(0x0F).convert(VectorOperators.I2F, 0))
                            .fma(scale1, min1);
                    FloatVector v1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).and(0x0F).convert(VectorOperators.I2F, 0))
                            .fma(scale1, min1);
                    a0 = u0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l), LE), a0);
                    a1 = v0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l + L), LE), a1);
                    a2 = u1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l), LE), a2);
                    a3 = v1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l + L), LE), a3);
                    if (two) {
                        b0 = u0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l) + next, LE), b0);
                        b1 = v0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l + L) + next, LE), b1);
                        b2 = u1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l) + next, LE), b2);
                        b3 = v1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l + L) + next, LE), b3);
                    }
                    if (four) {
                        e0 = u0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l) + 2 * next, LE), e0);
                        e1 = v0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l + L) + 2 * next, LE), e1);
                        e2 = u1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l) + 2 * next, LE), e2);
                        e3 = v1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l + L) + 2 * next, LE), e3);
                        f0 = u0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l) + 3 * next, LE), f0);
                        f1 = v0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l + L) + 3 * next, LE), f1);
                        f2 = u1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l) + 3 * next, LE), f2);
                        f3 = v1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l + L) + 3 * next, LE), f3);
                    }
                }
            }
        }
        scratch.sink += ReadAhead.sum(touched);
        a0.lanewise(VectorOperators.ADD, a1).lanewise(VectorOperators.ADD, a2.lanewise(VectorOperators.ADD, a3)).intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        if (two) {
            b0.lanewise(VectorOperators.ADD, b1).lanewise(VectorOperators.ADD, b2.lanewise(VectorOperators.ADD, b3)).intoArray(scratch.lanes, SECOND);
            LaneSums.tree(scratch.lanes, SECOND, L); // the second token's sum, left at lanes[SECOND]
        }
        if (four) {
            e0.lanewise(VectorOperators.ADD, e1).lanewise(VectorOperators.ADD, e2.lanewise(VectorOperators.ADD, e3)).intoArray(scratch.lanes, THIRD);
            LaneSums.tree(scratch.lanes, THIRD, L);
            f0.lanewise(VectorOperators.ADD, f1).lanewise(VectorOperators.ADD, f2.lanewise(VectorOperators.ADD, f3)).intoArray(scratch.lanes, FOURTH);
            LaneSums.tree(scratch.lanes, FOURTH, L);
        }
        return LaneSums.tree(scratch.lanes, 0, L);
    }

    /** Four: a weight's unpacking (and, shift, convert, fma) costs more than a token's fma. */
    @Override
    int tokensPerUnpacking() {
        return 4;
    }

    /** Q8_K: this matrix is bound only for rows of whole 256-value blocks, which are Q8_K's blocks too. */
    @Override
    public ActivationType fastActivationType() {
        return ActivationType.Q8_K;
    }

    /**
     * As llama.cpp's {@code ggml_vec_dot_q4_K_q8_K}, a super-block is {@code d·d_y · Σ_j sc_j Σ q·y − dmin·d_y · Σ_j m_j
     * Σ y}, both sums over its eight sub-blocks {@code j} integer and exact; {@code Σ y} per sub-block is
     * {@link Activations#sums32()}. Per pair of sub-blocks, runs of {@code R} code bytes (the int16 lanes of a vector)
     * give a vector of each sub-block's codes; each times the int8 values in int16 (at most 15 · 128, and two runs at 256
     * bits add to 3,840: exact) summed over the runs, then read as int32 lanes: adjacent pairs summed as
     * {@code (v + (v << 16)) >> 16} (what {@code vpmaddwd} does by ones; exact while a pair's sum fits in 16 bits, here
     * at most 7,680) and times the sub-block's scale. A lane of the block's int32 sum takes eight such terms, at most
     * 3,870,720, so it converts to float exactly; then {@code fma(sum, d·d_y, acc)}, and the minimums' term in eight
     * float lanes of its own, one per sub-block. Only the float order differs from llama.cpp's.
     */
    @Override
    float quantDots(long p, long ahead, MemorySegment ys, long y, float[] dy, int[] sums32, int block0, KernelScratch scratch) {
        FloatVector acc = FloatVector.zero(FLOATS);
        FloatVector minAcc = FloatVector.zero(EIGHT_FLOATS);
        int blocks = cols / BLOCK;
        IntVector touched = IntVector.zero(ReadAhead.TOUCH);
        for (int b = 0; b < blocks; b++) {
            long q = p + (long) b * BLOCK_BYTES;
            touched = touched.lanewise(VectorOperators.ADD, IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 64 + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 128 + ahead, LE));
            long low = data.get(LONG, q + SCALES); // scales[0..7]
            long high = data.get(INT, q + SCALES + 8) & 0xFFFF_FFFFL; // scales[8..11]
            long scales = subBlockScales(low, high);
            IntVector sum = IntVector.zero(INTS);
            for (int k = 0; k < 4; k++) {
                long codes = q + QS + 32 * k;
                long c = y + 2L * (b * BLOCK + 64 * k); // these sub-blocks' int16 activations, in bytes
                ShortVector s0 = ShortVector.zero(SHORTS), s1 = s0;
                for (int l = 0; l < 32; l += R) {
                    ShortVector u = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, codes + l, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                    s0 = s0.lanewise(VectorOperators.ADD, u.and((short) 0x0F).mul(ShortVector.fromMemorySegment(SHORTS, ys, c + 2L * l, LE)));
                    s1 = s1.lanewise(VectorOperators.ADD, u.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromMemorySegment(SHORTS, ys, c + 2L * (32 + l), LE)));
                }
                IntVector v0 = s0.reinterpretAsInts();
                IntVector v1 = s1.reinterpretAsInts();
                sum = sum.lanewise(VectorOperators.ADD, v0.add(v0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).mul((int) (scales >>> 16 * k) & 0xFF))
                        .add(v1.add(v1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).mul((int) (scales >>> 16 * k + 8) & 0xFF));
            }
            // the minimums' term: the eight 6-bit minimums times the eight sums of 32 values, at most 258,048 each
            IntVector mins = (IntVector) LongVector.broadcast(LongVector.SPECIES_128, subBlockMins(low, high)).reinterpretAsBytes()
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, EIGHT_INTS, 0);
            IntVector offsets = mins.mul(IntVector.fromArray(EIGHT_INTS, sums32, 8 * (block0 + b)));
            float dyb = dy[block0 + b];
            float d = Float.float16ToFloat(data.get(HALF, q)) * dyb;
            float dmin = Float.float16ToFloat(data.get(HALF, q + 2)) * dyb;
            acc = ((FloatVector) sum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(FLOATS, d), acc);
            minAcc = ((FloatVector) offsets.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(EIGHT_FLOATS, dmin), minAcc);
        }
        scratch.sink += ReadAhead.sum(touched);
        acc.intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        float scaled = LaneSums.tree(scratch.lanes, 0, L);
        minAcc.intoArray(scratch.lanes, 0);
        return scaled - LaneSums.tree(scratch.lanes, 0, EIGHT_FLOATS.length());
    }

    /** The eight 6-bit sub-block scales, one a byte, from the 12 packed scale bytes read as a long and an int. */
    private static long subBlockScales(long low, long high) {
        // sub-blocks 0-3: the low 6 bits of scales[0..3]; 4-7: the low nibbles of scales[8..11], the top bits of scales[0..3]
        return low & 0x3F3F3F3FL | (high & 0x0F0F0F0FL | (low >>> 6 & 0x03030303L) << 4) << 32;
    }

    /** The eight 6-bit sub-block minimums, one a byte. */
    private static long subBlockMins(long low, long high) {
        // sub-blocks 0-3: the low 6 bits of scales[4..7]; 4-7: the high nibbles of scales[8..11], the top bits of scales[4..7]
        return low >>> 32 & 0x3F3F3F3FL | (high >>> 4 & 0x0F0F0F0FL | (low >>> 38 & 0x03030303L) << 4) << 32;
    }
}
