package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;

import io.bitnet4j.format.Q4_K;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vectorized kernel for Q4_K weights (the token embedding of many llama-quantize files), read in place. Sub-blocks
 * {@code 2k} and {@code 2k+1} of a super-block ({@link Q4_K}) share 32 code bytes, the first in the low nibbles and
 * the second in the high ones, so one L-byte load widened to int lanes makes a weight vector of each. A weight is
 * {@code (d·sc)·q − dmin·m} as ggml's {@code dequantize_row_q4_K} computes it, in float32, then FMA'd with the float
 * activations. ggml rounds the product and the difference separately, but the products are exact (an fp16 times a
 * 6-bit integer has at most 17 significant bits, times a 4-bit code 21, under float32's 24), so one fused
 * multiply-subtract per weight gives the same bits. Kernel-order products only; the others, and embedding rows, go to the codec matrix
 * ({@link CodecKernels}) as before.
 */
final class Q4_KVectorMatrix extends InPlaceVectorMatrix {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    private static final int BLOCK = Q4_K.BLOCK_SIZE;
    private static final int BLOCK_BYTES = Q4_K.BLOCK_BYTES;
    private static final int SCALES = 4;
    private static final int QS = 16;

    Q4_KVectorMatrix(String name, int rows, int cols, MemorySegment data, WeightMatrix exact) {
        super(name, GgmlType.Q4_K, rows, cols, data, exact, (long) cols / BLOCK * BLOCK_BYTES);
    }

    /**
     * Per super-block: {@link ReadAhead} touched at bytes 0, 64 and 128 (the next block starts 16 bytes after the last
     * touch, so every cache line is touched); the 12 packed scale bytes read as one long and one int, and per pair of
     * sub-blocks their 6-bit scales and minimums shifted out of them (the packing of {@link Q4_K}), and the 32 code bytes as pairs of L-byte runs into four independent sums.
     */
    @Override
    float dots(long p, long ahead, MemorySegment xs, long x, boolean two, KernelScratch scratch) {
        FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0; // the second token's
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
                }
            }
        }
        scratch.sink += ReadAhead.sum(touched);
        a0.add(a1).add(a2.add(a3)).intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        if (two) {
            b0.add(b1).add(b2.add(b3)).intoArray(scratch.lanes, SECOND);
            LaneSums.tree(scratch.lanes, SECOND, L); // the second token's sum, left at lanes[SECOND]
        }
        return LaneSums.tree(scratch.lanes, 0, L);
    }
}
