package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.HALF_BYTES;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;
import static io.bitnet4j.kernel.VectorWidth.SHORTS;

import io.bitnet4j.format.Q6_K;
import io.bitnet4j.format.Q8_K;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vectorized kernel for Q6_K weights (the output head of most llama-quantize files), read in place. The layout
 * ({@link Q6_K}) puts the four values {@code 128h + 32k + l} (k = 0..3) of half {@code h} in the nibbles of
 * {@code ql[64h + l]} and {@code ql[64h + 32 + l]} and the bit pairs of {@code qh[32h + l]}; so L consecutive
 * {@code l} come from three L-byte loads, widened to int lanes, and make four weight vectors, one for each k. A
 * vector of L ≤ 16 values lies in one 16-value sub-block, so each is {@code (d · scale) · (q − 32)} with one
 * broadcast factor, as ggml's {@code dequantize_row_q6_K} computes it, then FMA'd with the float activations. Every
 * step of that is exact (an fp16 {@code d} has 11 significant bits, a scale of magnitude ≤ 128 adds 7 and
 * {@code q} or {@code q − 32} at most 6, within float32's 24), so {@code q · ds − 32 · ds} in one FMA gives the same
 * bits with one operation less than subtracting 32 from the codes first.
 * Kernel-order products only; the others, and embedding rows, go to the codec matrix ({@link CodecKernels}) as before.
 *
 * <p>Fast products take int8 activations ({@link #fastActivationType()} Q8_K), as llama.cpp multiplies Q6_K: the
 * float kernel above converts every weight and is bound by instructions (a 2B model's Q6_K head decoded at 0.76×
 * llama.cpp's speed at one thread, 20.6 products a second against the F16 kernel's 37.6 on a head that reads 0.27 GB
 * against 0.66). {@link #quantDots} multiplies the codes by the int8 values in int16 lanes, exact, sums adjacent pairs
 * and scales them per 16-value sub-block in int32; each 256-block's integer sum is then scaled by {@code d · d_y} in
 * float. With it that file decodes level with llama.cpp at one thread and ahead at two.
 */
final class Q6_KVectorMatrix extends InPlaceVectorMatrix {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    /** int16 lanes of a vector: positions per run of {@link #quantDots}. */
    private static final int R = SHORTS.length();
    /** The eight sub-block scales of a half, as bytes. */
    private static final VectorSpecies<Byte> SCALE_BYTES = ByteVector.SPECIES_64;
    /**
     * For run {@code r} of a half and weight vector {@code k}: int32 lane {@code i} (int16 lanes {@code 2i, 2i+1},
     * positions {@code rR + 2i} and one more) lies in sub-block {@code 2k + (rR + 2i) / 16} of the half.
     */
    private static final VectorShuffle<Integer>[][] SCALE_OF = scaleShuffles();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Integer>[][] scaleShuffles() {
        VectorShuffle<Integer>[][] s = new VectorShuffle[32 / R][4];
        for (int r = 0; r < s.length; r++) {
            for (int k = 0; k < 4; k++) {
                int[] index = new int[INTS.length()];
                for (int i = 0; i < index.length; i++) {
                    index[i] = 2 * k + (r * R + 2 * i) / 16;
                }
                s[r][k] = VectorShuffle.fromArray(INTS, index, 0);
            }
        }
        return s;
    }
    private static final int BLOCK = Q6_K.BLOCK_SIZE;
    private static final int BLOCK_BYTES = Q6_K.BLOCK_BYTES;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;

    static {
        if (16 % L != 0) { // 256 or 512 bits: 8 or 16 float lanes
            throw new IllegalStateException("Q6_K vectors must not straddle a 16-value sub-block: " + L + " lanes");
        }
        if (BLOCK != Q8_K.BLOCK_SIZE) { // quantDots scales each Q6_K block by one Q8_K block's d
            throw new IllegalStateException("Q6_K and Q8_K blocks must line up: " + BLOCK + " and " + Q8_K.BLOCK_SIZE);
        }
    }

    Q6_KVectorMatrix(String name, int rows, int cols, MemorySegment data, WeightMatrix exact) {
        super(name, GgmlType.Q6_K, rows, cols, data, exact, (long) cols / BLOCK * BLOCK_BYTES);
    }

    /** Q8_K: this matrix is bound only for rows of whole 256-value blocks, which are Q8_K's blocks too. */
    @Override
    public ActivationType fastActivationType() {
        return ActivationType.Q8_K;
    }

    /**
     * Per super-block and half, runs of {@code R} positions (the int16 lanes of a vector): the four weight vectors
     * {@code q − 32} (at most 32 in magnitude) times the int8 values in int16 (at most 4,096, exact). Two adjacent int16
     * lanes always lie in one 16-value sub-block, so each product vector, read as int32 lanes, gives its pair sums with
     * {@code (v + (v << 16)) >> 16} (what {@code vpmaddwd} does by ones; exact while a pair's sum, at most 8,192 here,
     * fits in 16 bits), and those are multiplied by their sub-block's signed
     * scale, spread over the lanes by a fixed shuffle ({@link #SCALE_OF}), into one int32 sum. At 512 bits a lane of
     * that sum takes 8 terms a super-block, at most 8,388,608 in magnitude, so it converts to float exactly; then
     * {@code fma(sum, d·d_y, acc)}. Integer sums are llama.cpp's ({@code ggml_vec_dot_q6_K_q8_K}'s); only the float order
     * differs. (Widening each product vector to two int32 halves and multiplying each by a broadcast scale instead
     * decoded 20-25 % slower.)
     */
    @Override
    float quantDots(long p, long ahead, MemorySegment ys, long y, float[] dy, int[] sums32, int block0, KernelScratch scratch) {
        FloatVector acc = FloatVector.zero(FLOATS);
        int blocks = cols / BLOCK;
        IntVector touched = IntVector.zero(ReadAhead.TOUCH);
        for (int b = 0; b < blocks; b++) {
            long q = p + (long) b * BLOCK_BYTES;
            touched = touched.lanewise(VectorOperators.ADD, IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 64 + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 128 + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 192 + ahead, LE));
            IntVector sum = IntVector.zero(INTS);
            for (int h = 0; h < 2; h++) {
                long ql = q + 64 * h;
                long qh = q + QH + 32 * h;
                IntVector sc = (IntVector) ByteVector.fromMemorySegment(SCALE_BYTES, data, q + SCALES + 8 * h, LE)
                        .convertShape(VectorOperators.B2I, INTS, 0); // this half's eight sub-block scales, lanes 0-7
                long c = y + 2L * (b * BLOCK + 128 * h); // this half's int16 activations, in bytes
                for (int l = 0; l < 32; l += R) {
                    ShortVector lo = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, ql + l, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                    ShortVector hi = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, ql + 32 + l, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                    ShortVector top = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, data, qh + l, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                    ShortVector p0 = lo.and((short) 0x0F).or(top.lanewise(VectorOperators.LSHL, 4).and((short) 0x30)).sub((short) 32)
                            .mul(ShortVector.fromMemorySegment(SHORTS, ys, c + 2L * l, LE));
                    ShortVector p1 = hi.and((short) 0x0F).or(top.lanewise(VectorOperators.LSHL, 2).and((short) 0x30)).sub((short) 32)
                            .mul(ShortVector.fromMemorySegment(SHORTS, ys, c + 2L * (32 + l), LE));
                    ShortVector p2 = lo.lanewise(VectorOperators.LSHR, 4).or(top.and((short) 0x30)).sub((short) 32)
                            .mul(ShortVector.fromMemorySegment(SHORTS, ys, c + 2L * (64 + l), LE));
                    ShortVector p3 = hi.lanewise(VectorOperators.LSHR, 4).or(top.lanewise(VectorOperators.LSHR, 2).and((short) 0x30)).sub((short) 32)
                            .mul(ShortVector.fromMemorySegment(SHORTS, ys, c + 2L * (96 + l), LE));
                    // adjacent int16 lanes lie in one sub-block: each pair summed in the high half of an int32 lane
                    // (the lane plus itself shifted up), shifted down, then times that sub-block's scale, spread by a
                    // fixed shuffle
                    IntVector v0 = p0.reinterpretAsInts();
                    IntVector v1 = p1.reinterpretAsInts();
                    IntVector v2 = p2.reinterpretAsInts();
                    IntVector v3 = p3.reinterpretAsInts();
                    int run = l / R;
                    sum = sum.lanewise(VectorOperators.ADD, v0.add(v0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).mul(sc.rearrange(SCALE_OF[run][0])))
                            .add(v1.add(v1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).mul(sc.rearrange(SCALE_OF[run][1])))
                            .add(v2.add(v2.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).mul(sc.rearrange(SCALE_OF[run][2])))
                            .add(v3.add(v3.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16).mul(sc.rearrange(SCALE_OF[run][3])));
                }
            }
            float d = Float.float16ToFloat(data.get(HALF, q + D)) * dy[block0 + b];
            acc = ((FloatVector) sum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(FLOATS, d), acc);
        }
        scratch.sink += ReadAhead.sum(touched);
        acc.intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        return LaneSums.tree(scratch.lanes, 0, L);
    }

    /**
     * Per super-block: {@link ReadAhead} touched at bytes 0, 64, 128 and 192 (the next block starts 18 bytes after the
     * last touch, so every cache line is touched), then for each half and each run of L positions the four weight
     * vectors into four independent sums. Each half's eight signed scales are read as one long (a segment read per byte
     * costs more than the shifts). The code bytes are sign-extended, so the nibbles are masked after any shift.
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
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 128 + ahead, LE))
                    .add(IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + 192 + ahead, LE));
            float d = Float.float16ToFloat(data.get(HALF, q + D));
            for (int h = 0; h < 2; h++) {
                long ql = q + 64 * h;
                long qh = q + QH + 32 * h;
                long scales = data.get(LONG, q + SCALES + 8 * h); // this half's eight sub-block scales, one long read
                long c = x + 4L * (b * BLOCK + 128 * h); // this half's activations, in bytes
                for (int l = 0; l < 32; l += L) {
                    IntVector lo = (IntVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, ql + l, LE)
                            .convertShape(VectorOperators.B2I, INTS, 0);
                    IntVector hi = (IntVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, ql + 32 + l, LE)
                            .convertShape(VectorOperators.B2I, INTS, 0);
                    IntVector top = (IntVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, qh + l, LE)
                            .convertShape(VectorOperators.B2I, INTS, 0);
                    long s = scales >>> (8 * (l / 16)); // sub-block 2k + l/16 of the half in byte 2k
                    float d0 = d * (byte) s, d1 = d * (byte) (s >>> 16), d2 = d * (byte) (s >>> 32), d3 = d * (byte) (s >>> 48);
                    FloatVector w0 = ((FloatVector) lo.and(0x0F).or(top.lanewise(VectorOperators.LSHL, 4).and(0x30))
                            .convert(VectorOperators.I2F, 0)).fma(d0, -32 * d0);
                    FloatVector w1 = ((FloatVector) hi.and(0x0F).or(top.lanewise(VectorOperators.LSHL, 2).and(0x30))
                            .convert(VectorOperators.I2F, 0)).fma(d1, -32 * d1);
                    FloatVector w2 = ((FloatVector) lo.lanewise(VectorOperators.ASHR, 4).and(0x0F).or(top.and(0x30))
                            .convert(VectorOperators.I2F, 0)).fma(d2, -32 * d2);
                    FloatVector w3 = ((FloatVector) hi.lanewise(VectorOperators.ASHR, 4).and(0x0F).or(top.lanewise(VectorOperators.ASHR, 2).and(0x30))
                            .convert(VectorOperators.I2F, 0)).fma(d3, -32 * d3);
                    a0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l), LE), a0);
                    a1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l), LE), a1);
                    a2 = w2.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (64 + l), LE), a2);
                    a3 = w3.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (96 + l), LE), a3);
                    if (two) {
                        b0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l) + next, LE), b0);
                        b1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l) + next, LE), b1);
                        b2 = w2.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (64 + l) + next, LE), b2);
                        b3 = w3.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (96 + l) + next, LE), b3);
                    }
                    if (four) {
                        e0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l) + 2 * next, LE), e0);
                        e1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l) + 2 * next, LE), e1);
                        e2 = w2.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (64 + l) + 2 * next, LE), e2);
                        e3 = w3.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (96 + l) + 2 * next, LE), e3);
                        f0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (l) + 3 * next, LE), f0);
                        f1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (32 + l) + 3 * next, LE), f1);
                        f2 = w2.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (64 + l) + 3 * next, LE), f2);
                        f3 = w3.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (96 + l) + 3 * next, LE), f3);
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

    /** Four: unpacking a weight (three loads, masks, shifts, a convert and an fma) costs more than a token's fma. */
    @Override
    int tokensPerUnpacking() {
        return 4;
    }
}
