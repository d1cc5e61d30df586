package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;

import io.bitnet4j.format.Q8_0;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vectorized kernel for Q8_0 weights ({@link Q8_0}: blocks of an fp16 scale and 32 int8 codes), read in place.
 * Each code vector is widened to float and multiplied by its block's scale, which rounds exactly as ggml's
 * {@code dequantize_row_q8_0} ({@code q · d} in float32), and the weights so made are FMA'd with the float
 * activations. Kernel-order products only; the others, and embedding rows, go to the codec matrix
 * ({@link CodecKernels}) that served Q8_0 before.
 */
final class Q8_0VectorMatrix extends InPlaceVectorMatrix {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    private static final int BLOCK = Q8_0.BLOCK_SIZE;
    private static final int BLOCK_BYTES = Q8_0.BLOCK_BYTES;

    Q8_0VectorMatrix(String name, int rows, int cols, MemorySegment data, WeightMatrix exact) {
        super(name, GgmlType.Q8_0, rows, cols, data, exact, (long) cols / BLOCK * BLOCK_BYTES);
    }

    /**
     * One block per step: its scale broadcast, then its 32 codes as 32/L vectors into two independent sums (32 is a
     * whole number of pairs of vectors at 256 and 512 bits). {@link ReadAhead} is touched once per block, at most 34
     * bytes apart, so every cache line is touched.
     */
    @Override
    float dots(long p, long ahead, MemorySegment xs, long x, int tokens, KernelScratch scratch) {
        boolean two = tokens > 1;
        FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0;
        FloatVector b0 = a0, b1 = a0; // the second token's
        FloatVector e0 = a0, e1 = a0, f0 = a0, f1 = a0; // a third's and a fourth's
        boolean four = tokens > 2;
        long next = 4L * cols; // from the first token's values to the second's, in bytes
        int blocks = cols / BLOCK;
        IntVector touched = IntVector.zero(ReadAhead.TOUCH);
        for (int b = 0; b < blocks; b++) {
            long q = p + (long) b * BLOCK_BYTES;
            touched = touched.lanewise(VectorOperators.ADD, IntVector.fromMemorySegment(ReadAhead.TOUCH, data, q + ahead, LE));
            FloatVector d = FloatVector.broadcast(FLOATS, Float.float16ToFloat(data.get(HALF, q)));
            long c = x + 4L * b * BLOCK; // this block's activations, in bytes
            for (int j = 0; j < BLOCK; j += 2 * L) {
                FloatVector w0 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, q + 2 + j, LE)
                        .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(d);
                FloatVector w1 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, q + 2 + j + L, LE)
                        .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(d);
                a0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j, LE), a0);
                a1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (j + L), LE), a1);
                if (two) {
                    b0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j + next, LE), b0);
                    b1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (j + L) + next, LE), b1);
                }
                if (four) {
                    e0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j + 2 * next, LE), e0);
                    e1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (j + L) + 2 * next, LE), e1);
                    f0 = w0.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j + 3 * next, LE), f0);
                    f1 = w1.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (j + L) + 3 * next, LE), f1);
                }
            }
        }
        scratch.sink += ReadAhead.sum(touched);
        a0.lanewise(VectorOperators.ADD, a1).intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        if (two) {
            b0.lanewise(VectorOperators.ADD, b1).intoArray(scratch.lanes, SECOND);
            LaneSums.tree(scratch.lanes, SECOND, L); // the second token's sum, left at lanes[SECOND]
        }
        if (four) {
            e0.lanewise(VectorOperators.ADD, e1).intoArray(scratch.lanes, THIRD);
            LaneSums.tree(scratch.lanes, THIRD, L);
            f0.lanewise(VectorOperators.ADD, f1).intoArray(scratch.lanes, FOURTH);
            LaneSums.tree(scratch.lanes, FOURTH, L);
        }
        return LaneSums.tree(scratch.lanes, 0, L);
    }

    /** Four: a weight's conversion and scaling cost more than a token's fma. */
    @Override
    int tokensPerUnpacking() {
        return 4;
    }
}
