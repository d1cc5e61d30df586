package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * What the Vector API kernels that read a type's weights in place from the file share ({@link Bf16VectorMatrix},
 * {@link Q8_0VectorMatrix}, {@link Q4_0VectorMatrix}, {@link Q6_KVectorMatrix}, {@link Q4_KVectorMatrix}): a kernel-order product goes one
 * weight row at a time through the type's {@link #dot} (a prompt's in blocks of rows that each token meets in turn); every
 * other summation order, and embedding rows, go to the matrix that served the type before (the {@code exact} one),
 * so those results are unchanged to the bit. Each row is one {@link #dot} call whatever the thread split.
 */
abstract class InPlaceVectorMatrix extends StoredMatrix {
    /** A prompt's weight rows per block: about 256 KB, held in the L2 cache while the tokens go past. */
    private static final long BLOCK_BYTES = 256 * 1024;
    /** Where {@link #dots} leaves a second token's sum in {@code scratch.lanes}: after the widest vector of lanes. */
    static final int SECOND = 16;

    private final WeightMatrix exact;
    private final long rowBytes;

    /**
     * @param data     the weights as a plain native segment (see {@link SegmentKinds}) when they come from a file
     * @param exact    the scalar or codec matrix of the same tensor, for every other order and for embedding rows
     * @param rowBytes bytes per weight row
     */
    InPlaceVectorMatrix(String name, GgmlType type, int rows, int cols, MemorySegment data, WeightMatrix exact, long rowBytes) {
        super(name, type, rows, cols, data, exact.activationType());
        this.exact = exact;
        this.rowBytes = rowBytes;
    }

    @Override
    public final boolean accepts(ActivationType t) {
        return exact.accepts(t);
    }

    @Override
    public final void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        if (!sum.kernelOrder()) {
            exact.multiplyRows(in, as, sum, rowFrom, rowTo, out, outOffset, scratch);
            return;
        }
        checkShapes(in, rowFrom, rowTo, out, outOffset);
        int tokens = in.rows();
        MemorySegment xs = scratch.stagedFloats(tokens * cols);
        stage(in.values(as), tokens, xs);
        // rows in blocks of about BLOCK_BYTES, which stay in the L2 cache while each token's values meet the whole
        // block from L1; row by row, every row streamed all the tokens' values again (1.3 MB for 128 tokens of 2560)
        // from L3. One token: one block, the rows one linear stream.
        int blockRows = tokens == 1 ? rowTo - rowFrom : (int) Math.max(1, BLOCK_BYTES / rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += blockRows) {
            int r1 = Math.min(rowTo, r0 + blockRows);
            int t = 0;
            for (; t + 2 <= tokens; t += 2) {
                for (int r = r0; r < r1; r++) {
                    long at = r * rowBytes;
                    long ahead = ReadAhead.aheadWithin(data, at + rowBytes, scratch.readAhead);
                    dotTwo(at, ahead, xs, 4L * t * cols, out, outOffset + t * rows + r, scratch);
                }
            }
            for (; t < tokens; t++) {
                for (int r = r0; r < r1; r++) {
                    long at = r * rowBytes;
                    long ahead = ReadAhead.aheadWithin(data, at + rowBytes, scratch.readAhead);
                    out[outOffset + t * rows + r] = dot(at, ahead, xs, 4L * t * cols, scratch);
                }
            }
        }
    }

    /**
     * Copies the activations of {@code tokens} tokens into {@code xs} as {@link #dot} reads them: off the heap, so
     * that the loop addresses them with the byte offsets it has for the weights (a {@code float[]} index costs a sign
     * extension and an add per load); in their order unless a kernel rearranges them.
     */
    void stage(float[] x, int tokens, MemorySegment xs) {
        MemorySegment.copy(x, 0, xs, KernelScratch.STAGED, 0, tokens * cols);
    }

    /**
     * The weight row at byte {@code at} of {@link #data} times the {@code cols} floats at byte {@code x} of {@code xs}
     * (as {@link #stage} left them), summed in the kernel's fixed order, with one {@link ReadAhead#TOUCH} per cache
     * line {@code ahead} bytes ahead. With {@code two}, also times the next token's floats ({@code 4·cols} bytes
     * further), each weight vector unpacked once for both and each token's sums the same fma in the same order, so the
     * same float; that second sum is left at {@code scratch.lanes[SECOND]}. The JIT compiles the loop
     * once for each value of {@code two}, a loop invariant. The whole hot loop lives in this one method: C2 does not
     * inline small helpers into a large Vector API loop, and a vector passed to a call that is not inlined is boxed.
     */
    abstract float dots(long at, long ahead, MemorySegment xs, long x, boolean two, KernelScratch scratch);

    /** One token's product with row {@code at}: {@link #dots} alone. */
    final float dot(long at, long ahead, MemorySegment xs, long x, KernelScratch scratch) {
        return dots(at, ahead, xs, x, false, scratch);
    }

    /** Two tokens' products with row {@code at} into {@code out[to]} and {@code out[to + rows]}. */
    private void dotTwo(long at, long ahead, MemorySegment xs, long x, float[] out, int to, KernelScratch scratch) {
        out[to] = dots(at, ahead, xs, x, true, scratch);
        out[to + rows] = scratch.lanes[SECOND];
    }

    @Override
    public final void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        exact.dequantizeRow(row, dst, dstOffset, scratch);
    }
}
