package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;

import io.bitnet4j.format.Q4_0;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vectorized kernel for Q4_0 weights ({@link Q4_0}: blocks of an fp16 scale and 16 bytes, byte {@code j} holding
 * element {@code j} in its low nibble and element {@code j + 16} in its high one, each {@code (q − 8) · d}), read in
 * place. L code bytes widened to int lanes give two weight vectors, the low and the high nibbles; {@code (q − 8) · d}
 * is exact in float32 (a 4-bit integer times an fp16 value), so the weights are ggml's {@code dequantize_row_q4_0}'s
 * to the bit before they are FMA'd with the float activations. Kernel-order products only; the others, and embedding
 * rows, go to the codec matrix ({@link CodecKernels}) that served Q4_0 before.
 */
final class Q4_0VectorMatrix extends InPlaceVectorMatrix {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    private static final int BLOCK = Q4_0.BLOCK_SIZE;
    private static final int BLOCK_BYTES = Q4_0.BLOCK_BYTES;
    private static final int HALF_BLOCK = BLOCK / 2;

    static {
        if (HALF_BLOCK % L != 0) { // 256 or 512 bits: 8 or 16 float lanes
            throw new IllegalStateException("Q4_0 needs whole vectors in a half block: " + L + " lanes");
        }
    }

    Q4_0VectorMatrix(String name, int rows, int cols, MemorySegment data, WeightMatrix exact) {
        super(name, GgmlType.Q4_0, rows, cols, data, exact, (long) cols / BLOCK * BLOCK_BYTES);
    }

    /**
     * One block per step: its scale broadcast, then per run of L code bytes the low and the high nibbles into two
     * independent sums. {@link ReadAhead} is touched once per block, 18 bytes apart, so every cache line is touched.
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
            float d = Float.float16ToFloat(data.get(HALF, q));
            long c = x + 4L * b * BLOCK; // this block's activations, in bytes
            for (int j = 0; j < HALF_BLOCK; j += L) {
                IntVector codes = (IntVector) ByteVector.fromMemorySegment(QUARTER_BYTES, data, q + 2 + j, LE)
                        .convertShape(VectorOperators.B2I, INTS, 0); // sign-extended: mask after the shift
                FloatVector lo = ((FloatVector) codes.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d);
                FloatVector hi = ((FloatVector) codes.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8)
                        .convert(VectorOperators.I2F, 0)).mul(d);
                a0 = lo.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j, LE), a0);
                a1 = hi.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (HALF_BLOCK + j), LE), a1);
                if (two) {
                    b0 = lo.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j + next, LE), b0);
                    b1 = hi.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (HALF_BLOCK + j) + next, LE), b1);
                }
                if (four) {
                    e0 = lo.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j + 2 * next, LE), e0);
                    e1 = hi.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (HALF_BLOCK + j) + 2 * next, LE), e1);
                    f0 = lo.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * j + 3 * next, LE), f0);
                    f1 = hi.fma(FloatVector.fromMemorySegment(FLOATS, xs, c + 4L * (HALF_BLOCK + j) + 3 * next, LE), f1);
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

    /** Four: a weight's unpacking (widen, mask, subtract, convert, scale) costs more than a token's fma. */
    @Override
    int tokensPerUnpacking() {
        return 4;
    }
}
