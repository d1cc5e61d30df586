package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * An optional int8 copy of an F16 matrix (meant for the LM head, half of each decode's bytes), made at load:
 * per row, blocks of {@value #BLOCK} values as int8 with one float32 scale each (Q8_0's scheme: {@code d = max|w|/127},
 * {@code q = round(w/d)}), 1.125 bytes per weight instead of 2. It is lossy (up to half a step, {@code d/2}, per
 * weight), so it serves {@link Summation.Routine#KERNEL_ORDER} products only, when asked for; other products,
 * and embedding rows, read the F16 original. Its effect on perplexity is to be measured before it is offered
 * widely. The F16 pages are dropped from memory after copying.
 */
final class Int8CopyMatrix extends StoredMatrix {
    /** Values per scale block. */
    static final int BLOCK = 32;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final int L = FLOATS.length();
    private static final int ROWS = 4;

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
        MemorySegment src = original.data;
        IntStream.range(0, rows).parallel().forEach(r -> {
            for (int b = 0; b < cols / BLOCK; b++) {
                long first = (long) r * cols + (long) b * BLOCK;
                float max = 0f;
                for (int j = 0; j < BLOCK; j++) {
                    max = Math.max(max, Math.abs(Float.float16ToFloat(src.get(HALF, 2 * (first + j)))));
                }
                float scale = max / 127f;
                float inv = scale == 0f ? 0f : 1f / scale;
                for (int j = 0; j < BLOCK; j++) {
                    float w = Float.float16ToFloat(src.get(HALF, 2 * (first + j)));
                    q.set(ValueLayout.JAVA_BYTE, first + j, (byte) Math.round(w * inv));
                }
                d.set(F32, ((long) r * (cols / BLOCK) + b) * Float.BYTES, scale);
            }
        });
        return new Int8CopyMatrix(original, q, d);
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
        float[] four = scratch.tileOut(ROWS);
        for (int r = rowFrom; r < rowTo; r += ROWS) {
            int n = Math.min(ROWS, rowTo - r);
            int last = r + n - 1; // a short last group repeats its last row
            for (int t = 0; t < in.rows(); t++) {
                dot4(r, Math.min(r + 1, last), Math.min(r + 2, last), last, x, t * cols, four, scratch.lanes);
                for (int k = 0; k < n; k++) {
                    out[outOffset + t * rows + r + k] = four[k];
                }
            }
        }
    }

    /** Rows {@code r0 .. r3} times {@code x[xAt ..]} into {@code out[0..3]}: per block a float partial sum, then scaled. */
    private void dot4(int r0, int r1, int r2, int r3, float[] x, int xAt, float[] out, float[] lanes) {
        FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0;
        long q0 = (long) r0 * cols, q1 = (long) r1 * cols, q2 = (long) r2 * cols, q3 = (long) r3 * cols;
        int blocks = cols / BLOCK;
        long d0 = (long) r0 * blocks * 4, d1 = (long) r1 * blocks * 4, d2 = (long) r2 * blocks * 4, d3 = (long) r3 * blocks * 4;
        for (int b = 0; b < blocks; b++) {
            FloatVector p0 = FloatVector.zero(FLOATS), p1 = p0, p2 = p0, p3 = p0;
            for (int j = 0; j < BLOCK; j += L) {
                int c = b * BLOCK + j;
                FloatVector xv = FloatVector.fromArray(FLOATS, x, xAt + c);
                p0 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, quants, q0 + c, LE).convertShape(VectorOperators.B2F, FLOATS, 0)).fma(xv, p0);
                p1 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, quants, q1 + c, LE).convertShape(VectorOperators.B2F, FLOATS, 0)).fma(xv, p1);
                p2 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, quants, q2 + c, LE).convertShape(VectorOperators.B2F, FLOATS, 0)).fma(xv, p2);
                p3 = ((FloatVector) ByteVector.fromMemorySegment(QUARTER_BYTES, quants, q3 + c, LE).convertShape(VectorOperators.B2F, FLOATS, 0)).fma(xv, p3);
            }
            long o = 4L * b;
            a0 = p0.fma(FloatVector.broadcast(FLOATS, scales.get(F32, d0 + o)), a0);
            a1 = p1.fma(FloatVector.broadcast(FLOATS, scales.get(F32, d1 + o)), a1);
            a2 = p2.fma(FloatVector.broadcast(FLOATS, scales.get(F32, d2 + o)), a2);
            a3 = p3.fma(FloatVector.broadcast(FLOATS, scales.get(F32, d3 + o)), a3);
        }
        a0.intoArray(lanes, 0); // summed in a fixed order (LaneSums), not with reduceLanes
        a1.intoArray(lanes, L);
        a2.intoArray(lanes, 2 * L);
        a3.intoArray(lanes, 3 * L);
        out[0] = LaneSums.tree(lanes, 0, L);
        out[1] = LaneSums.tree(lanes, L, L);
        out[2] = LaneSums.tree(lanes, 2 * L, L);
        out[3] = LaneSums.tree(lanes, 3 * L, L);
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
