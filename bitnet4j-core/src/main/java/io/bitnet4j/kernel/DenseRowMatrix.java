package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The scalar kernel for any type a {@link RowDecoder} can read: each weight row is decoded to float32 once
 * and dotted with every token row (F32, F16, BF16, and decoders plugged in for other types). Accepts any
 * float activation form; which one to use is the caller's choice ({@link #activationType()} is the peer's), and
 * so is the summation order.
 */
final class DenseRowMatrix extends StoredMatrix {
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
        for (int r = rowFrom; r < rowTo; r++) {
            decoder.decodeRow(data, r, cols, w, 0);
            for (int t = 0; t < tokens; t++) {
                out[outOffset + t * rows + r] = sum.dot(w, 0, x, t * cols, cols, scratch.lanes, fma);
            }
        }
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        checkRow(row, dst, dstOffset);
        decoder.decodeRow(data, row, cols, dst, dstOffset);
    }
}
