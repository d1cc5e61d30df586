package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;

import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vectorized kernel for BF16 weights, read in place. A bfloat16 is the top half of a float32, so widening is
 * pure bit placement, exact for every value (infinities and NaN payloads included, so no finiteness check is needed):
 * each 32-bit load holds an even-indexed value in its low half, a float after a shift left by 16, and an odd-indexed
 * one in its high half, a float once the low half is cleared. The activations are staged in the matching order
 * ({@link #stage}), as {@link F16VectorMatrix} does. Kernel-order products only; the others, and embedding rows, go
 * to the scalar {@link DenseRowMatrix} with {@link FloatRowDecoders#BF16}, as before.
 */
final class Bf16VectorMatrix extends InPlaceVectorMatrix {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    private static final int HIGH_HALF = 0xFFFF_0000;

    Bf16VectorMatrix(String name, int rows, int cols, MemorySegment data) {
        super(name, GgmlType.BF16, rows, cols, data,
                new DenseRowMatrix(name, GgmlType.BF16, rows, cols, data, FloatRowDecoders.BF16, ActivationType.BF16,
                        PeerOrderVectorFma.INSTANCE), 2L * cols);
    }

    /** Whether {@code data} holds {@code rows × cols} values (the kernel reads with the bounds checks off). */
    static boolean fits(int rows, int cols, MemorySegment data) {
        return data.byteSize() >= 2L * rows * cols;
    }

    /**
     * Copies each token's row to {@code xs} with every whole run of {@code 2·L} values reordered as its L even-indexed
     * then its L odd-indexed ones (the lanes {@link #dots} widens from one load of 32-bit words); the tail is copied as
     * it is.
     */
    @Override
    void stage(float[] x, int tokens, MemorySegment xs) {
        int whole = cols - cols % (2 * L);
        for (int t = 0; t < tokens; t++) {
            int at = t * cols;
            for (int c = 0; c < whole; c += 2 * L) {
                for (int i = 0; i < L; i++) {
                    xs.setAtIndex(KernelScratch.STAGED, at + c + i, x[at + c + 2 * i]);
                    xs.setAtIndex(KernelScratch.STAGED, at + c + L + i, x[at + c + 2 * i + 1]);
                }
            }
            MemorySegment.copy(x, at + whole, xs, KernelScratch.STAGED, 4L * (at + whole), cols - whole);
        }
    }

    /**
     * Two loads of L words (4·L values) per step into four independent sums, one {@link ReadAhead#TOUCH} per step
     * ({@code 8·L ≤ 128} bytes: one linear stream), then one more pair of vectors if there is one, the lanes added in
     * {@link LaneSums} order, and the tail in scalar FMAs. The loop runs on one int byte offset, which addresses the
     * weights and the staged floats alike (as {@link F16VectorMatrix}'s).
     */
    @Override
    float dots(long p, long ahead, MemorySegment xs, long x, int tokens, KernelScratch scratch) {
        boolean two = tokens > 1;
        FloatVector e0 = FloatVector.zero(FLOATS), e1 = e0, o0 = e0, o1 = e0;
        FloatVector f0 = e0, f1 = e0, p0 = e0, p1 = e0; // the second token's
        long next = 4L * cols; // from the first token's values to the second's, in bytes
        IntVector touched = IntVector.zero(ReadAhead.TOUCH);
        int whole = cols - cols % (2 * L);
        int pairs = whole - whole % (4 * L);
        for (int o = 0; o < 2 * pairs; o += 8 * L) { // o: bytes of weights; the staged floats are at twice that
            long a = p + o;
            long xo = x + 2L * o;
            touched = touched.lanewise(VectorOperators.ADD, IntVector.fromMemorySegment(ReadAhead.TOUCH, data, a + ahead, LE));
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, a, LE);
            IntVector w1 = IntVector.fromMemorySegment(INTS, data, a + 4L * L, LE);
            FloatVector we0 = w0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector wo0 = w0.and(HIGH_HALF).reinterpretAsFloats();
            FloatVector we1 = w1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector wo1 = w1.and(HIGH_HALF).reinterpretAsFloats();
            e0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo, LE), e0);
            o0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + 4L * L, LE), o0);
            e1 = we1.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + 8L * L, LE), e1);
            o1 = wo1.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + 12L * L, LE), o1);
            if (two) {
                f0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + next, LE), f0);
                p0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + next + 4L * L, LE), p0);
                f1 = we1.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + next + 8L * L, LE), f1);
                p1 = wo1.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + next + 12L * L, LE), p1);
            }
        }
        if (pairs < whole) { // one more pair of vectors
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, p + 2L * pairs, LE);
            long xo = x + 4L * pairs;
            FloatVector we0 = w0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector wo0 = w0.and(HIGH_HALF).reinterpretAsFloats();
            e0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo, LE), e0);
            o0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + 4L * L, LE), o0);
            if (two) {
                f0 = we0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + next, LE), f0);
                p0 = wo0.fma(FloatVector.fromMemorySegment(FLOATS, xs, xo + next + 4L * L, LE), p0);
            }
        }
        scratch.sink += ReadAhead.sum(touched);
        e0.lanewise(VectorOperators.ADD, o0).lanewise(VectorOperators.ADD, e1.lanewise(VectorOperators.ADD, o1)).intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        float r = LaneSums.tree(scratch.lanes, 0, L);
        for (int c = whole; c < cols; c++) {
            r = Math.fma(weight(p, c), xs.get(KernelScratch.STAGED, x + 4L * c), r);
        }
        if (two) {
            f0.lanewise(VectorOperators.ADD, p0).lanewise(VectorOperators.ADD, f1.lanewise(VectorOperators.ADD, p1)).intoArray(scratch.lanes, SECOND);
            float r2 = LaneSums.tree(scratch.lanes, SECOND, L);
            for (int c = whole; c < cols; c++) {
                r2 = Math.fma(weight(p, c), xs.get(KernelScratch.STAGED, x + next + 4L * c), r2);
            }
            scratch.lanes[SECOND] = r2;
        }
        return r;
    }

    /** Weight {@code c} of the row at byte {@code p}, widened. */
    private float weight(long p, int c) {
        return Float.intBitsToFloat((data.get(BF16, p + 2L * c) & 0xFFFF) << 16);
    }
}
