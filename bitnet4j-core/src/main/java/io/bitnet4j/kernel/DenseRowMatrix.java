package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * The scalar kernel for any type a {@link RowDecoder} can read: each weight row is decoded to float32 once
 * and dotted with every token row (F32, F16, BF16, and decoders plugged in for other types). Accepts any
 * float activation form; which one to use is the caller's choice ({@link #activationType()} is the peer's), and
 * so is the summation order.
 */
final class DenseRowMatrix extends StoredMatrix {
    /** About 512 KB of decoded rows per block of {@link #multiplyFours}: they stay in the L2 cache. */
    private static final int BLOCK_FLOATS = 128 * 1024;

    private final RowDecoder decoder;
    /** Runs the dot products' per-lane fma chains: plain Java here, vectors where a vector kernel delegates here. */
    private final GgmlSimd.LaneFma fma;

    DenseRowMatrix(String name, GgmlType type, int rows, int cols, MemorySegment data, RowDecoder decoder,
            ActivationType activation) {
        this(name, type, rows, cols, data, decoder, activation, GgmlSimd.LaneFma.SCALAR);
    }

    DenseRowMatrix(String name, GgmlType type, int rows, int cols, MemorySegment data, RowDecoder decoder,
            ActivationType activation, GgmlSimd.LaneFma fma) {
        super(name, type, rows, cols, data, activation);
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.fma = Objects.requireNonNull(fma, "fma");
    }

    @Override
    public boolean accepts(ActivationType t) {
        return t == ActivationType.F32 || t == ActivationType.F16 || t == ActivationType.BF16;
    }

    @Override
    public void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        checkShapes(in, rowFrom, rowTo, out, outOffset);
        float[] x = in.values(as);
        float[] w = scratch.row;
        int tokens = in.rows();
        int width = sum.simd().lanes();
        // tinyBLAS's order (the exact head of a prompt) with the vector fma: four tokens' chains at once (SCALAR is
        // tested first: without the Vector API module the vector class must stay unloaded)
        if (tokens >= 4 && fma != GgmlSimd.LaneFma.SCALAR && fma == PeerOrderVectorFma.INSTANCE
                && sum.routine() == Summation.Routine.TINY_BLAS && cols % width == 0 && PeerOrderVectorFma.interleaves(width)) {
            multiplyFours(x, tokens, sum, rowFrom, rowTo, out, outOffset, scratch);
            return;
        }
        for (int r = rowFrom; r < rowTo; r++) {
            decoder.decodeRow(data, r, cols, w, 0);
            for (int t = 0; t < tokens; t++) {
                out[outOffset + t * rows + r] = sum.dot(w, 0, x, t * cols, cols, scratch.lanes, fma);
            }
        }
    }

    /**
     * {@link #multiplyRows} in tinyBLAS's order with the vector fma, four tokens' chains at a time. Rows go in blocks
     * of about {@link #BLOCK_FLOATS} floats, decoded once, and each four tokens' values meet the whole block while
     * they are in the L1 cache: row by row, every row would stream all the tokens' values again (a prompt's 512
     * tokens are 5 MB at 2560 columns).
     */
    private void multiplyFours(float[] x, int tokens, Summation sum, int rowFrom, int rowTo, float[] out, int outOffset,
            KernelScratch scratch) {
        int width = sum.simd().lanes();
        int blockRows = Math.max(1, BLOCK_FLOATS / cols);
        float[] block = scratch.rowBlock(Math.min(blockRows, rowTo - rowFrom) * cols);
        float[] lanes = scratch.lanes;
        for (int r0 = rowFrom; r0 < rowTo; r0 += blockRows) {
            int n = Math.min(blockRows, rowTo - r0);
            for (int i = 0; i < n; i++) {
                decoder.decodeRow(data, r0 + i, cols, block, i * cols);
            }
            int t = 0;
            for (; t + 4 <= tokens; t += 4) {
                for (int i = 0; i < n; i++) { // GgmlSimd.tinyBlasDot of row r0 + i with tokens t .. t + 3
                    Arrays.fill(lanes, 0, 4 * width, 0f);
                    PeerOrderVectorFma.INSTANCE.accumulateFour(block, i * cols, x, t * cols, cols, cols, width, lanes);
                    for (int j = 0; j < 4; j++) {
                        out[outOffset + (t + j) * rows + r0 + i] = sum.simd().horizontalSum(lanes, j * width, 1);
                    }
                }
            }
            for (; t < tokens; t++) {
                for (int i = 0; i < n; i++) {
                    out[outOffset + t * rows + r0 + i] = sum.dot(block, i * cols, x, t * cols, cols, lanes, fma);
                }
            }
        }
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        checkRow(row, dst, dstOffset);
        decoder.decodeRow(data, row, cols, dst, dstOffset);
    }
}
