package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.HALF_SHORTS;
import static io.bitnet4j.kernel.VectorWidth.INTS;

import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The vectorized kernel for F16 weights (the LM head of BitNet 2B-4T: {@code token_embd} tied, half of each
 * decode's bytes), read in place from the file. The Vector API has no f16 conversion, so halves are widened
 * with integer operations ({@link #widen}): sign-extended to 32 bits, shifted so the exponent and mantissa sit
 * 13 bits higher (the sign lands on bit 31 once bits 28–30 are cleared), then multiplied by 2<sup>112</sup> as
 * floats, which rebiases the exponent and turns subnormal halves into normal floats exactly. Infinities and
 * NaNs (an all-ones half exponent) need an all-ones float exponent before the multiply (which then keeps them
 * and quiets a signalling NaN as {@link Float#float16ToFloat} does): {@link #widen} does that, the product
 * loop does not and serves only matrices found free of them at load ({@link #allFinite}). One row is summed at a
 * time, in {@link VectorWidth#FLOATS} lanes added in a fixed order at the end; only for
 * {@link Summation.Routine#KERNEL_ORDER}, a peer's order going to the scalar {@link DenseRowMatrix}.
 */
final class F16VectorMatrix extends StoredMatrix {
    /** Where {@link #dots} leaves a second token's sum in {@code scratch.lanes}. */
    private static final int SECOND = InPlaceVectorMatrix.SECOND;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int L = FLOATS.length();
    private static final float REBIAS = 0x1p112f;
    /** A half's all-ones exponent (infinities and NaNs), in place and 13 bits up. */
    private static final short HALF_EXPONENT = 0x7C00;
    private static final int EXPONENT = HALF_EXPONENT << 13;
    /** A widened half's sign, exponent and mantissa bits, 13 bits up (bits 28–30, copies of the sign, cleared). */
    private static final int BITS = 0x8FFF_E000;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    /** Four halves' exponent fields; adding 0x0400 to an all-ones field carries into its lane's sign bit. */
    private static final long EXPONENTS = 0x7C00_7C00_7C00_7C00L;
    private static final long ONES_BELOW_EXPONENT = 0x0400_0400_0400_0400L;
    private static final long CARRY = 0x8000_8000_8000_8000L;

    private final DenseRowMatrix exact;
    /** Whether every weight is finite: the product loop widens finite halves only (see {@link #allFinite}). */
    private final boolean finite;

    F16VectorMatrix(String name, int rows, int cols, MemorySegment data) {
        this(name, rows, cols, data, allFinite(data, (long) rows * cols));
    }

    /** A matrix whose weights are all finite or not as {@code finite} says ({@link #allFinite} of the same bytes). */
    F16VectorMatrix(String name, int rows, int cols, MemorySegment data, boolean finite) {
        super(name, GgmlType.F16, rows, cols, data, ActivationType.F16);
        this.exact = new DenseRowMatrix(name, GgmlType.F16, rows, cols, data, FloatRowDecoders.F16, ActivationType.F16,
                PeerOrderVectorFma.INSTANCE);
        this.finite = finite;
    }

    /**
     * Whether none of the {@code n} halves at the start of {@code data} is an infinity or NaN. Checked once at
     * load so that the product loop can leave them out (a masked fix-up costs it half its speed); a matrix that
     * holds one is multiplied by the scalar kernel instead.
     */
    static boolean allFinite(MemorySegment data, long n) {
        // four halves per long, scalar: this runs once, mostly before the JIT has compiled it, and Vector API
        // code that is not yet compiled allocates on every operation (gigabytes of garbage over a head)
        long whole = n - n % 4;
        long special = 0;
        for (long i = 0; i < whole; i += 4) {
            long e = data.get(LONG, 2 * i) & EXPONENTS;
            special |= (e + ONES_BELOW_EXPONENT) & CARRY; // set where a lane's exponent is all ones
        }
        boolean finite = special == 0;
        for (long i = whole; i < n; i++) {
            finite &= Float.isFinite(Float.float16ToFloat(data.get(HALF, 2 * i)));
        }
        return finite;
    }

    /** Whether no weight is an infinity or NaN. */
    boolean finite() {
        return finite;
    }

    @Override
    public boolean accepts(ActivationType t) {
        return exact.accepts(t);
    }

    @Override
    public void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        if (!sum.kernelOrder() || !finite) {
            exact.multiplyRows(in, as, sum, rowFrom, rowTo, out, outOffset, scratch);
            return;
        }
        checkShapes(in, rowFrom, rowTo, out, outOffset);
        float[] x = in.values(as);
        int tokens = in.rows();
        MemorySegment staged = scratch.stagedFloats(tokens * cols);
        float[] unscale = scratch.tileOut(tokens); // each token's 2^k
        for (int t = 0; t < tokens; t++) {
            unscale[t] = stage(x, t * cols, staged);
        }
        long rowBytes = 2L * cols;
        int blockRows = InPlaceVectorMatrix.promptBlockRows(tokens, rowTo - rowFrom, rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += blockRows) {
            int r1 = Math.min(rowTo, r0 + blockRows);
            for (int t = 0; t < tokens; t += 2) {
                boolean two = t + 1 < tokens; // two tokens per widened weight, a last odd one alone
                float unscale2 = two ? unscale[t + 1] : 0f;
                for (int r = r0; r < r1; r++) {
                    long p = r * rowBytes;
                    long ahead = ReadAhead.aheadWithin(data, p + rowBytes, scratch.readAhead);
                    out[outOffset + t * rows + r] = dots(p, ahead, staged, x, t * cols, unscale[t], two, unscale2, scratch);
                    if (two) {
                        out[outOffset + (t + 1) * rows + r] = scratch.lanes[SECOND];
                    }
                }
            }
        }
    }

    /**
     * Copies the whole pairs of vectors of row {@code x[xAt .. xAt + cols)} to the floats {@code staged[xAt ..]}, each run of
     * {@code 2·L} values as its L even-indexed then its L odd-indexed ones (the order of the lanes {@link #dots} widens
     * from one load of 32-bit words, each holding two halves), times 2<sup>112 − k</sup>: the widened halves are then
     * left 2<sup>112</sup> too small, which the activations make up for exactly (a power of two). {@code k} is 0
     * unless the row's largest value would overflow; returns 2<sup>k</sup>, by which the sums are multiplied back. The
     * products are the same real numbers as {@code f16ToFloat(w) · x}, so each FMA rounds as it would on widened weights.
     */
    private float stage(float[] x, int xAt, MemorySegment staged) {
        float max = 0f;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, Math.abs(x[xAt + c]));
        }
        int k = Math.clamp(Math.getExponent(max) - 14, 0, 120); // |x|·2^(112-k) < 2^127
        float scale = Math.scalb(1f, 112 - k);
        int whole = cols - cols % (2 * L);
        for (int c = 0; c < whole; c += 2 * L) {
            for (int i = 0; i < L; i++) {
                staged.setAtIndex(KernelScratch.STAGED, xAt + c + i, x[xAt + c + 2 * i] * scale);
                staged.setAtIndex(KernelScratch.STAGED, xAt + c + L + i, x[xAt + c + 2 * i + 1] * scale);
            }
        }
        return Math.scalb(1f, k);
    }

    /**
     * The row at byte {@code p} times the activations: the whole pairs of vectors from {@code staged[xAt ..]} (see
     * {@link #stage}; the sum multiplied back by {@code unscale}), the rest from {@code x[xAt ..]}. Each 32-bit load
     * holds an even half in its low bits and an odd one in its high bits: the high one is in place after an
     * arithmetic shift right by 3 (sign on bit 31, exponent and mantissa 13 bits above their half positions), the
     * low one after a shift left by 16 first. One row at a time (one linear stream: four interleaved rows read
     * slower), two loads per step into four independent sums, and one {@link ReadAhead#TOUCH} per step, {@code ahead}
     * bytes ahead. The loop runs on one int byte offset, which addresses the weights and the staged floats alike.
     * With {@code two}, also the next token's ({@code cols} values on, multiplied back by {@code unscale2}), its sum
     * left at {@code scratch.lanes[SECOND]}: each weight load and widening serves both, each token's sums take the same
     * fma in the same order (the same floats). The JIT compiles the loop once per value of {@code two}, a loop
     * invariant.
     */
    private float dots(long p, long ahead, MemorySegment staged, float[] x, int xAt, float unscale, boolean two, float unscale2,
            KernelScratch scratch) {
        FloatVector e0 = FloatVector.zero(FLOATS), e1 = e0, o0 = e0, o1 = e0;
        FloatVector f0 = e0, f1 = e0, p0 = e0, p1 = e0; // the second token's
        IntVector touched = IntVector.zero(ReadAhead.TOUCH);
        int whole = cols - cols % (2 * L);
        int pairs = whole - whole % (4 * L);
        long xs = 4L * xAt; // the staged floats of this token, in bytes
        long next = 4L * cols; // from this token's staged floats to the next one's
        for (int o = 0; o < 2 * pairs; o += 8 * L) { // o: bytes of halves; the staged floats are at twice that
            long a = p + o;
            long xo = xs + 2L * o;
            touched = touched.lanewise(VectorOperators.ADD, IntVector.fromMemorySegment(ReadAhead.TOUCH, data, a + ahead, LE));
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, a, LE);
            IntVector w1 = IntVector.fromMemorySegment(INTS, data, a + 4L * L, LE);
            FloatVector we0 = w0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats();
            FloatVector wo0 = w0.lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats();
            FloatVector we1 = w1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats();
            FloatVector wo1 = w1.lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats();
            e0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo, LE), e0);
            o0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + 4L * L, LE), o0);
            e1 = we1.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + 8L * L, LE), e1);
            o1 = wo1.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + 12L * L, LE), o1);
            if (two) {
                f0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + next, LE), f0);
                p0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + next + 4L * L, LE), p0);
                f1 = we1.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + next + 8L * L, LE), f1);
                p1 = wo1.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + next + 12L * L, LE), p1);
            }
        }
        if (pairs < whole) { // one more pair of vectors
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, p + 2L * pairs, LE);
            FloatVector we0 = w0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats();
            FloatVector wo0 = w0.lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats();
            long xo = xs + 4L * pairs;
            e0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo, LE), e0);
            o0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + 4L * L, LE), o0);
            if (two) {
                f0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + next, LE), f0);
                p0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, staged, xo + next + 4L * L, LE), p0);
            }
        }
        scratch.sink += ReadAhead.sum(touched);
        e0.lanewise(VectorOperators.ADD, o0).lanewise(VectorOperators.ADD, e1.lanewise(VectorOperators.ADD, o1)).intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        float r = LaneSums.tree(scratch.lanes, 0, L) * unscale;
        for (int c = whole; c < cols; c++) {
            r = Math.fma(Float.float16ToFloat(data.get(HALF, p + 2L * c)), x[xAt + c], r);
        }
        if (two) {
            f0.lanewise(VectorOperators.ADD, p0).lanewise(VectorOperators.ADD, f1.lanewise(VectorOperators.ADD, p1)).intoArray(scratch.lanes, SECOND);
            float r2 = LaneSums.tree(scratch.lanes, SECOND, L) * unscale2;
            for (int c = whole; c < cols; c++) {
                r2 = Math.fma(Float.float16ToFloat(data.get(HALF, p + 2L * c)), x[xAt + cols + c], r2);
            }
            scratch.lanes[SECOND] = r2;
        }
        return r;
    }

    /**
     * One row as floats, by the scalar {@link Float#float16ToFloat}: a model's token embedding is looked up a few
     * rows per prompt, first of all in a cold JVM, where the vector {@link #widen} runs interpreted (0.2 s of a 2B
     * model's first 88-token prompt, 0.02–0.06 s this way; the scalar conversion is an interpreter intrinsic).
     * Warm, a row of 2,560 takes microseconds either way (docs/bench-log.md, session 14).
     */
    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        checkRow(row, dst, dstOffset);
        FloatRowDecoders.widenHalves(data, (long) row * cols * 2, dst, dstOffset, cols);
    }

    /**
     * Widens {@code n} little-endian halves at byte {@code at} of {@code src} to floats in {@code dst}, exactly
     * as {@link Float#float16ToFloat}, with the integer steps of the class comment (the kernel's own, inline).
     */
    static void widen(MemorySegment src, long at, float[] dst, int dstOffset, int n) {
        int whole = n - n % L;
        for (int c = 0; c < whole; c += L) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, src, at + 2L * c, LE).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector b = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_FFFF);
            VectorMask<Integer> special = b.and(EXPONENT).compare(VectorOperators.EQ, EXPONENT);
            b.lanewise(VectorOperators.OR, 0x7000_0000, special).reinterpretAsFloats().mul(REBIAS).intoArray(dst, dstOffset + c);
        }
        FloatRowDecoders.widenHalves(src, at + 2L * whole, dst, dstOffset + whole, n - whole);
    }
}
