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
 * loop does not and serves only matrices found free of them at load ({@link #allFinite}). Four rows are summed
 * at a time against one activation load, each in {@link VectorWidth#FLOATS} lanes reduced at the end; only for
 * {@link Summation.Routine#KERNEL_ORDER}, a peer's order going to the scalar {@link DenseRowMatrix}.
 */
final class F16VectorMatrix extends StoredMatrix {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int L = FLOATS.length();
    private static final int ROWS = 4;
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
        super(name, GgmlType.F16, rows, cols, data, ActivationType.F16);
        this.exact = new DenseRowMatrix(name, GgmlType.F16, rows, cols, data, FloatRowDecoders.F16, ActivationType.F16);
        this.finite = allFinite(data, (long) rows * cols);
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
        float[] staged = scratch.staged(tokens * cols);
        float[] unscale = scratch.tileOut(ROWS + tokens); // [0, ROWS): dot4's four sums; then each token's 2^k
        for (int t = 0; t < tokens; t++) {
            unscale[ROWS + t] = stage(x, t * cols, staged);
        }
        long rowBytes = 2L * cols;
        for (int r = rowFrom; r < rowTo; r += ROWS) {
            int n = Math.min(ROWS, rowTo - r);
            long at = r * rowBytes;
            long last = at + (n - 1) * rowBytes; // a short last group repeats its last row
            long p1 = Math.min(at + rowBytes, last);
            long p2 = Math.min(at + 2 * rowBytes, last);
            for (int t = 0; t < tokens; t++) {
                dot4(at, p1, p2, last, staged, x, t * cols, unscale[ROWS + t], unscale, scratch.lanes);
                for (int k = 0; k < n; k++) {
                    out[outOffset + t * rows + r + k] = unscale[k];
                }
            }
        }
    }

    /**
     * Copies the whole pairs of vectors of row {@code x[xAt .. xAt + cols)} to {@code staged[xAt ..]}, each run of
     * {@code 2·L} values as its L even-indexed then its L odd-indexed ones (the order of the lanes {@link #dot4} widens
     * from one load of 32-bit words, each holding two halves), times 2<sup>112 − k</sup>: the widened halves are then
     * left 2<sup>112</sup> too small, which the activations make up for exactly (a power of two). {@code k} is 0
     * unless the row's largest value would overflow; returns 2<sup>k</sup>, by which the sums are multiplied back. The
     * products are the same real numbers as {@code f16ToFloat(w) · x}, so each FMA rounds as it would on widened weights.
     */
    private float stage(float[] x, int xAt, float[] staged) {
        float max = 0f;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, Math.abs(x[xAt + c]));
        }
        int k = Math.clamp(Math.getExponent(max) - 14, 0, 120); // |x|·2^(112-k) < 2^127
        float scale = Math.scalb(1f, 112 - k);
        int whole = cols - cols % (2 * L);
        for (int c = 0; c < whole; c += 2 * L) {
            for (int i = 0; i < L; i++) {
                staged[xAt + c + i] = x[xAt + c + 2 * i] * scale;
                staged[xAt + c + L + i] = x[xAt + c + 2 * i + 1] * scale;
            }
        }
        return Math.scalb(1f, k);
    }

    /**
     * The rows at bytes {@code p0 .. p3} times the activations into {@code out[0..3]}: the whole pairs of vectors from
     * {@code staged[xAt ..]} (see {@link #stage}; the sums multiplied back by {@code unscale}), the rest from
     * {@code x[xAt ..]}. Each 32-bit load holds an even half in its low bits and an odd one in its high bits: the
     * high one is in place after an arithmetic shift right by 3 (sign on bit 31, exponent and mantissa 13 bits
     * above their half positions), the low one after a shift left by 16 first.
     */
    private void dot4(long p0, long p1, long p2, long p3, float[] staged, float[] x, int xAt, float unscale, float[] out,
            float[] lanes) {
        FloatVector e0 = FloatVector.zero(FLOATS), e1 = e0, e2 = e0, e3 = e0, o0 = e0, o1 = e0, o2 = e0, o3 = e0;
        int whole = cols - cols % (2 * L);
        for (int c = 0; c < whole; c += 2 * L) {
            FloatVector xe = FloatVector.fromArray(FLOATS, staged, xAt + c);
            FloatVector xo = FloatVector.fromArray(FLOATS, staged, xAt + c + L);
            long o = 2L * c;
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, p0 + o, LE);
            IntVector w1 = IntVector.fromMemorySegment(INTS, data, p1 + o, LE);
            IntVector w2 = IntVector.fromMemorySegment(INTS, data, p2 + o, LE);
            IntVector w3 = IntVector.fromMemorySegment(INTS, data, p3 + o, LE);
            e0 = w0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xe, e0);
            o0 = w0.lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xo, o0);
            e1 = w1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xe, e1);
            o1 = w1.lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xo, o1);
            e2 = w2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xe, e2);
            o2 = w2.lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xo, o2);
            e3 = w3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xe, e3);
            o3 = w3.lanewise(VectorOperators.ASHR, 3).and(BITS).reinterpretAsFloats().fma(xo, o3);
        }
        e0.add(o0).intoArray(lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        e1.add(o1).intoArray(lanes, L);
        e2.add(o2).intoArray(lanes, 2 * L);
        e3.add(o3).intoArray(lanes, 3 * L);
        float r0 = LaneSums.tree(lanes, 0, L) * unscale;
        float r1 = LaneSums.tree(lanes, L, L) * unscale;
        float r2 = LaneSums.tree(lanes, 2 * L, L) * unscale;
        float r3 = LaneSums.tree(lanes, 3 * L, L) * unscale;
        for (int c = whole; c < cols; c++) {
            float xc = x[xAt + c];
            r0 = Math.fma(Float.float16ToFloat(data.get(HALF, p0 + 2L * c)), xc, r0);
            r1 = Math.fma(Float.float16ToFloat(data.get(HALF, p1 + 2L * c)), xc, r1);
            r2 = Math.fma(Float.float16ToFloat(data.get(HALF, p2 + 2L * c)), xc, r2);
            r3 = Math.fma(Float.float16ToFloat(data.get(HALF, p3 + 2L * c)), xc, r3);
        }
        out[0] = r0;
        out[1] = r1;
        out[2] = r2;
        out[3] = r3;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        checkRow(row, dst, dstOffset);
        widen(data, (long) row * cols * 2, dst, dstOffset, cols);
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
        for (int c = whole; c < n; c++) {
            dst[dstOffset + c] = Float.float16ToFloat(src.get(HALF, at + 2L * c));
        }
    }
}
