package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * An optional int8 copy of an F16 matrix (meant for the LM head, half of each decode's bytes), made at load:
 * per row, blocks of {@value #BLOCK} values as int8 with one float32 scale each (Q8_0's scheme: {@code d = max|w|/127},
 * {@code q = round(w/d)}), 1.125 bytes per weight instead of 2. It is lossy (up to half a step, {@code d/2}, per
 * weight), so it serves {@link Summation.Routine#KERNEL_ORDER} products only, when asked for; other products,
 * and embedding rows, read the F16 original. Its perplexity cost is measured in docs/bench.md. The F16 pages are
 * dropped from memory after copying.
 */
final class Int8CopyMatrix extends StoredMatrix {
    /** Values per scale block. */
    static final int BLOCK = 32;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    /** Rows per task of the parallel copy (each task widens its rows into one buffer of its own). */
    private static final int ROWS_PER_TASK = 256;

    private final F16VectorMatrix original;
    private final MemorySegment quants;
    private final MemorySegment scales;

    private Int8CopyMatrix(F16VectorMatrix original, MemorySegment quants, MemorySegment scales) {
        super(original.name(), original.type(), original.rows(), original.cols(), original.data, ActivationType.F16);
        this.original = original;
        this.quants = quants;
        this.scales = scales;
    }

    /** Whether {@code m} can be copied: finite weights, rows of whole blocks (and whole vectors). */
    static boolean fits(F16VectorMatrix m) {
        return m.finite() && m.cols() % BLOCK == 0 && BLOCK % L == 0;
    }

    /** Quantizes {@code original}'s rows (in parallel) into a new copy. */
    static Int8CopyMatrix copy(F16VectorMatrix original) {
        int rows = original.rows();
        int cols = original.cols();
        if (!fits(original)) {
            throw new IllegalArgumentException("tensor '" + original.name() + "' cannot be copied to int8 (rows of " + cols
                    + ", not whole " + BLOCK + "-blocks, or weights that are not finite)");
        }
        MemorySegment q = OffHeap.allocate((long) rows * cols);
        MemorySegment d = OffHeap.allocate((long) rows * (cols / BLOCK) * Float.BYTES);
        int chunks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            float[] w = new float[cols];
            for (int r = chunk * ROWS_PER_TASK; r < Math.min(rows, (chunk + 1) * ROWS_PER_TASK); r++) {
                quantizeRow(original.data, r, cols, w, q, d);
            }
        });
        return new Int8CopyMatrix(original, q, d);
    }

    /**
     * Quantizes row {@code r} of the halves {@code src} into {@code q} and {@code d}, with {@code w} as the row's
     * widened floats: per block {@code d = max|w|/127}, {@code q = Math.round(w·(1/d))}. Vectorized (a head has a few
     * hundred million weights), with {@code Math.round}'s exact result: the truncated value {@code t} plus one
     * where the remainder {@code y − t} is at least ½, minus one where it is below −½ (both remainders exact).
     */
    private static void quantizeRow(MemorySegment src, int r, int cols, float[] w, MemorySegment q, MemorySegment d) {
        F16VectorMatrix.widen(src, 2L * r * cols, w, 0, cols);
        for (int b = 0; b < cols / BLOCK; b++) {
            int first = b * BLOCK;
            float max = 0f;
            for (int j = 0; j < BLOCK; j++) { // scalar: a vector MAX reduction per block is slower here
                max = Math.max(max, Math.abs(w[first + j]));
            }
            float scale = max / 127f;
            float inv = scale == 0f ? 0f : 1f / scale;
            for (int j = 0; j < BLOCK; j += L) {
                FloatVector y = FloatVector.fromArray(FLOATS, w, first + j).mul(inv);
                IntVector t = (IntVector) y.convertShape(VectorOperators.F2I, INTS, 0);
                FloatVector rest = y.sub((FloatVector) t.convertShape(VectorOperators.I2F, FLOATS, 0));
                t = t.add(1, rest.compare(VectorOperators.GE, 0.5f).cast(INTS)).sub(1, rest.compare(VectorOperators.LT, -0.5f).cast(INTS));
                t.convertShape(VectorOperators.I2B, QUARTER_BYTES, 0).reinterpretAsBytes()
                        .intoMemorySegment(q, (long) r * cols + first + j, LE);
            }
            d.set(F32, ((long) r * (cols / BLOCK) + b) * Float.BYTES, scale);
        }
    }

    @Override
    public boolean accepts(ActivationType t) {
        return original.accepts(t);
    }

    @Override
    public void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        if (!sum.kernelOrder()) {
            original.multiplyRows(in, as, sum, rowFrom, rowTo, out, outOffset, scratch);
            return;
        }
        checkShapes(in, rowFrom, rowTo, out, outOffset);
        float[] x = in.values(as);
        int tokens = in.rows();
        // the activations off the heap, addressed by the loop's byte offsets (see F16VectorMatrix)
        MemorySegment xs = scratch.stagedFloats(tokens * cols);
        MemorySegment.copy(x, 0, xs, KernelScratch.STAGED, 0, tokens * cols);
        int blocks = cols / BLOCK;
        for (int r = rowFrom; r < rowTo; r++) {
            long q = (long) r * cols;
            long ahead = ReadAhead.aheadWithin(quants, q + cols, scratch.readAhead);
            for (int t = 0; t < tokens; t++) { // the row stays in the L1 cache for the other tokens
                out[outOffset + t * rows + r] = dot(q, ahead, (long) r * blocks * Float.BYTES, xs, 4L * t * cols, scratch);
            }
        }
    }

    /**
     * The row whose codes start at byte {@code q} and scales at byte {@code d} times the floats at byte {@code x} of
     * {@code xs}: per block a float partial sum of L-lane products, then times the block's scale. One row at a time
     * (one linear stream: several interleaved rows read slower, as for F16), two blocks per step into two sums, and
     * one {@link ReadAhead#TOUCH} per step (two blocks: one 64-byte line), {@code ahead} bytes ahead.
     */
    private float dot(long q, long ahead, long d, MemorySegment xs, long x, KernelScratch scratch) {
        FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0;
        IntVector touched = IntVector.zero(ReadAhead.TOUCH);
        int blocks = cols / BLOCK;
        int pairs = blocks - blocks % 2;
        for (int b = 0; b < pairs; b += 2) {
            long at = q + (long) b * BLOCK;
            long xb = x + 4L * b * BLOCK;
            touched = touched.lanewise(VectorOperators.ADD, IntVector.fromMemorySegment(ReadAhead.TOUCH, quants, at + ahead, LE));
            FloatVector p0 = FloatVector.zero(FLOATS), p1 = p0;
            for (int j = 0; j < BLOCK; j += L) {
                p0 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, quants, at + j, LE).convertShape(VectorOperators.B2F, FLOATS, 0))
                        .fma(FloatVector.fromMemorySegment(FLOATS, xs, xb + 4L * j, LE), p0);
                p1 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, quants, at + BLOCK + j, LE).convertShape(VectorOperators.B2F, FLOATS, 0))
                        .fma(FloatVector.fromMemorySegment(FLOATS, xs, xb + 4L * (BLOCK + j), LE), p1);
            }
            a0 = p0.fma(FloatVector.broadcast(FLOATS, scales.get(F32, d + 4L * b)), a0);
            a1 = p1.fma(FloatVector.broadcast(FLOATS, scales.get(F32, d + 4L * (b + 1))), a1);
        }
        if (pairs < blocks) { // one more block
            long at = q + (long) pairs * BLOCK;
            long xb = x + 4L * pairs * BLOCK;
            FloatVector p0 = FloatVector.zero(FLOATS);
            for (int j = 0; j < BLOCK; j += L) {
                p0 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, quants, at + j, LE).convertShape(VectorOperators.B2F, FLOATS, 0))
                        .fma(FloatVector.fromMemorySegment(FLOATS, xs, xb + 4L * j, LE), p0);
            }
            a0 = p0.fma(FloatVector.broadcast(FLOATS, scales.get(F32, d + 4L * pairs)), a0);
        }
        scratch.sink += ReadAhead.sum(touched);
        a0.lanewise(VectorOperators.ADD, a1).intoArray(scratch.lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        return LaneSums.tree(scratch.lanes, 0, L);
    }

    /** Row {@code row}'s int8 value at {@code col} (for tests). */
    byte copiedCode(int row, int col) {
        return quants.get(ValueLayout.JAVA_BYTE, (long) row * cols + col);
    }

    /** Row {@code row}'s int8 value at {@code col} times its block scale (for tests). */
    float copiedValue(int row, int col) {
        long at = (long) row * cols + col;
        return quants.get(ValueLayout.JAVA_BYTE, at) * scales.get(F32, ((long) row * (cols / BLOCK) + col / BLOCK) * Float.BYTES);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        original.dequantizeRow(row, dst, dstOffset, scratch);
    }
}
