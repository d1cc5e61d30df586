package io.bitnet4j.kernel;

import io.bitnet4j.format.Q8_K;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What the Vector API kernels that read a type's weights in place from the file share ({@link Bf16VectorMatrix},
 * {@link Q8_0VectorMatrix}, {@link Q4_0VectorMatrix}, {@link Q6_KVectorMatrix}, {@link Q4_KVectorMatrix}): a kernel-order product goes one
 * weight row at a time through the type's {@link #dots} (a prompt's in blocks of rows that each token meets in turn); every
 * other summation order, and embedding rows, go to the matrix that served the type before (the {@code exact} one),
 * so those results are unchanged to the bit. Each row and token is one {@link #dots} sum whatever the thread split. A
 * type with an int8-activation kernel ({@link #fastActivationType()} Q8_K) takes a decode's fast products (one token)
 * through {@link #quantDots} instead; a prompt's stay with the float kernel on the float activations, because
 * {@link #dots} unpacks each weight once for two tokens while the int8 kernel's cost is all per token (the int8 one
 * made a 2B Q4_K_M file's 128-token prompt 10 % slower).
 */
abstract class InPlaceVectorMatrix extends StoredMatrix {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** A prompt's weight rows per block: about 256 KB, held in the L2 cache while the tokens go past. */
    private static final long BLOCK_BYTES = 256 * 1024;
    /** Where {@link #dots} leaves a second token's sum in {@code scratch.lanes}: after the widest vector of lanes. */
    static final int SECOND = 16;
    /** The same for a third and a fourth token ({@link #tokensPerUnpacking()} 4). */
    static final int THIRD = 32, FOURTH = 48;

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
        return exact.accepts(t) || t == fastActivationType();
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
        if (as != activationType() && as == fastActivationType()) {
            if (tokens == 1 || activationType() != ActivationType.F32) {
                multiplyQuantized(in, as, rowFrom, rowTo, out, outOffset, scratch);
                return;
            }
            as = ActivationType.F32; // a prompt: the float kernel, two tokens per weight unpacking (see the class comment)
        }
        MemorySegment xs = scratch.stagedFloats(tokens * cols);
        stage(in.values(as), tokens, xs);
        int blockRows = promptBlockRows(tokens, rowTo - rowFrom, rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += blockRows) {
            int r1 = Math.min(rowTo, r0 + blockRows);
            for (int t = 0; t < tokens; ) {
                // four or two tokens per weight unpacking as the type allows, the last ones two or one at a time
                int n = tokens - t >= 4 && tokensPerUnpacking() == 4 ? 4 : tokens - t >= 2 ? 2 : 1;
                for (int r = r0; r < r1; r++) {
                    long at = r * rowBytes;
                    long ahead = ReadAhead.aheadWithin(data, at + rowBytes, scratch.readAhead);
                    out[outOffset + t * rows + r] = dots(at, ahead, xs, 4L * t * cols, n, scratch);
                    if (n > 1) {
                        out[outOffset + (t + 1) * rows + r] = scratch.lanes[SECOND];
                    }
                    if (n > 2) {
                        out[outOffset + (t + 2) * rows + r] = scratch.lanes[THIRD];
                        out[outOffset + (t + 3) * rows + r] = scratch.lanes[FOURTH];
                    }
                }
                t += n;
            }
        }
    }

    /**
     * Rows per block of a product of {@code tokens} tokens over {@code rows} rows of {@code rowBytes} bytes: about
     * {@link #BLOCK_BYTES}, which stay in the L2 cache while each token's values meet the whole block from L1 (row by
     * row, every row streamed all the tokens' values again, 1.3 MB for 128 tokens of 2560, from L3). One token: one
     * block, the rows one linear stream. Also {@link F16VectorMatrix}'s.
     */
    static int promptBlockRows(int tokens, int rows, long rowBytes) {
        return tokens == 1 ? rows : (int) Math.max(1, BLOCK_BYTES / rowBytes);
    }

    /**
     * Copies the activations of {@code tokens} tokens into {@code xs} as {@link #dots} reads them: off the heap, so
     * that the loop addresses them with the byte offsets it has for the weights (a {@code float[]} index costs a sign
     * extension and an add per load); in their order unless a kernel rearranges them.
     */
    void stage(float[] x, int tokens, MemorySegment xs) {
        MemorySegment.copy(x, 0, xs, KernelScratch.STAGED, 0, tokens * cols);
    }

    /**
     * The kernel-order product with int8 activations ({@link #fastActivationType()}, Q8_K): the int8 values widened
     * once to int16 in the staging buffer, then row by row and token by token through {@link #quantDots}.
     */
    private void multiplyQuantized(Activations in, ActivationType as, int rowFrom, int rowTo, float[] out, int outOffset,
            KernelScratch scratch) {
        int tokens = in.rows();
        byte[] q = in.quants(as);
        float[] d = in.scales(as);
        int[] sums32 = in.sums32();
        int n = tokens * cols;
        MemorySegment ys = scratch.stagedFloats((n + 1) / 2); // two bytes a value
        for (int i = 0; i < n; i++) {
            ys.set(SHORT, 2L * i, q[i]);
        }
        int blocks = cols / Q8_K.BLOCK_SIZE;
        int blockRows = promptBlockRows(tokens, rowTo - rowFrom, rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += blockRows) {
            int r1 = Math.min(rowTo, r0 + blockRows);
            for (int t = 0; t < tokens; t++) {
                for (int r = r0; r < r1; r++) {
                    long at = r * rowBytes;
                    long ahead = ReadAhead.aheadWithin(data, at + rowBytes, scratch.readAhead);
                    out[outOffset + t * rows + r] = quantDots(at, ahead, ys, 2L * t * cols, d, sums32, t * blocks, scratch);
                }
            }
        }
    }

    /**
     * For a type whose {@link #fastActivationType()} is Q8_K: the weight row at byte {@code at} times the token's int8
     * values, staged as int16 from byte {@code y} of {@code ys}, whose 256-value blocks {@code block0, block0 + 1, ..}
     * (counted over all tokens) have the scales {@code dy[block0 ..]} and the sums of their runs of 32 values
     * {@code sums32[8·block0 ..]} ({@link Activations#sums32()}, for the types whose weights have an offset); the integer
     * sums exact per block, then scaled and summed in float in the kernel's order.
     */
    float quantDots(long at, long ahead, MemorySegment ys, long y, float[] dy, int[] sums32, int block0, KernelScratch scratch) {
        throw new UnsupportedOperationException(type + " has no int8-activation kernel");
    }

    /**
     * The weight row at byte {@code at} of {@link #data} times the {@code cols} floats at byte {@code x} of {@code xs}
     * (as {@link #stage} left them), summed in the kernel's fixed order, with one {@link ReadAhead#TOUCH} per cache
     * line {@code ahead} bytes ahead. With {@code tokens} 2 (or 4, for a type whose {@link #tokensPerUnpacking()} is 4),
     * also times the next tokens' floats ({@code 4·cols} bytes apart), each weight vector unpacked once for all and
     * each token's sums the same fma in the same order, so the same float; the second token's sum is left at
     * {@code scratch.lanes[SECOND]}, a third's and a fourth's at {@link #THIRD} and {@link #FOURTH}. The JIT compiles
     * the loop once for each value of {@code tokens}, a loop invariant. The whole hot loop lives in this one method:
     * C2 does not inline small helpers into a large Vector API loop, and a vector passed to a call that is not inlined
     * is boxed.
     */
    abstract float dots(long at, long ahead, MemorySegment xs, long x, int tokens, KernelScratch scratch);

    /**
     * Tokens {@link #dots} takes at once in a prompt: 2, or 4 where the unpacking costs more than a token's fma (Q4_K,
     * Q8_0 and Q6_K: 1.16-1.44× the products a second with two, bench-log.md, session 23; Q4_0: 1.13-1.19×, session 24).
     */
    int tokensPerUnpacking() {
        return 2;
    }

    @Override
    public final void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        exact.dequantizeRow(row, dst, dstOffset, scratch);
    }
}
