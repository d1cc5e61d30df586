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
                new DenseRowMatrix(name, GgmlType.BF16, rows, cols, data, FloatRowDecoders.BF16, ActivationType.BF16), 2L * cols);
    }

    /** Whether {@code data} holds {@code rows × cols} values (the kernel reads with the bounds checks off). */
    static boolean fits(int rows, int cols, MemorySegment data) {
        return data.byteSize() >= 2L * rows * cols;
    }

    /**
     * Copies each token's row to the scratch with every whole run of {@code 2·L} values reordered as its L
     * even-indexed then its L odd-indexed ones (the lanes {@link #dot} widens from one load of 32-bit words); the
     * tail is copied as it is.
     */
    @Override
    float[] stage(float[] x, int tokens, KernelScratch scratch) {
        float[] staged = scratch.staged(tokens * cols);
        int whole = cols - cols % (2 * L);
        for (int t = 0; t < tokens; t++) {
            int at = t * cols;
            for (int c = 0; c < whole; c += 2 * L) {
                for (int i = 0; i < L; i++) {
                    staged[at + c + i] = x[at + c + 2 * i];
                    staged[at + c + L + i] = x[at + c + 2 * i + 1];
                }
            }
            System.arraycopy(x, at + whole, staged, at + whole, cols - whole);
        }
        return staged;
    }

    /**
     * Two loads of L words (4·L values) per step into four independent sums, {@link ReadAhead} touched at each load
     * (4·L ≤ 64 bytes apart, so every cache line is touched; one linear stream), then one more pair of vectors if
     * there is one, the lanes added in {@link LaneSums} order, and the tail in scalar FMAs.
     */
    @Override
    float dot(long p, float[] x, int xAt, KernelScratch scratch) {
        FloatVector e0 = FloatVector.zero(FLOATS), e1 = e0, o0 = e0, o1 = e0;
        int whole = cols - cols % (2 * L);
        int pairs = whole - whole % (4 * L);
        long last = data.byteSize() - 1;
        int sink = 0;
        for (int c = 0; c < pairs; c += 4 * L) {
            long a = p + 2L * c;
            sink += ReadAhead.touch(data, a, last) + ReadAhead.touch(data, a + 4L * L, last);
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, a, LE);
            IntVector w1 = IntVector.fromMemorySegment(INTS, data, a + 4L * L, LE);
            e0 = w0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(FLOATS, x, xAt + c), e0);
            o0 = w0.and(HIGH_HALF).reinterpretAsFloats().fma(FloatVector.fromArray(FLOATS, x, xAt + c + L), o0);
            e1 = w1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(FLOATS, x, xAt + c + 2 * L), e1);
            o1 = w1.and(HIGH_HALF).reinterpretAsFloats().fma(FloatVector.fromArray(FLOATS, x, xAt + c + 3 * L), o1);
        }
        if (pairs < whole) { // one more pair of vectors
            IntVector w0 = IntVector.fromMemorySegment(INTS, data, p + 2L * pairs, LE);
            e0 = w0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(FLOATS, x, xAt + pairs), e0);
            o0 = w0.and(HIGH_HALF).reinterpretAsFloats().fma(FloatVector.fromArray(FLOATS, x, xAt + pairs + L), o0);
        }
        scratch.sink += sink;
        e0.add(o0).add(e1.add(o1)).intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        float r = LaneSums.tree(scratch.lanes, 0, L);
        for (int c = whole; c < cols; c++) {
            r = Math.fma(Float.intBitsToFloat((data.get(BF16, p + 2L * c) & 0xFFFF) << 16), x[xAt + c], r);
        }
        return r;
    }
}
