package io.bitnet4j.kernel;

import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * The vectorized kernel for llama.cpp's TQ1_0 and TQ2_0: the weights repacked into a {@link LutLayout} with
 * their fp16 block scales as float32 (or none, when all blocks share one scale), multiplied by the Q8_K
 * activations through lookup tables ({@link LutKernel}). The integer block sums are those of the scalar kernel;
 * only the float combination of blocks has another order, so it runs for {@link Summation.Routine#KERNEL_ORDER}
 * and products that must follow llama.cpp's order go to {@link TernaryBlockVectorMatrix} over the file's bytes.
 */
final class TernaryLutMatrix extends LutMatrix {
    private static final int BLOCK = TernaryBlockFormat.BLOCK_SIZE;

    /** The scale every block shares, or NaN when they differ (then each block's scale is in the layout). */
    private final float uniformScale;

    private TernaryLutMatrix(TernaryBlockMatrix exact, LutLayout layout, float uniformScale) {
        super(exact, layout);
        this.uniformScale = uniformScale;
    }

    /**
     * Repacks the {@code rows × cols} tensor {@code data} of {@code format} (rows of whole 256-blocks). When every
     * block holds the same scale (BitNet b1.58 has one absmean scale per tensor, so converted models do), the layout
     * keeps no scales and the sums are multiplied by that one scale at the end: the kernel then reads 1/15 fewer bytes.
     */
    static TernaryLutMatrix repack(String name, GgmlType type, int rows, int cols, MemorySegment data, TernaryBlockFormat format) {
        return repack(name, type, rows, cols, data, format, Runtime.getRuntime().availableProcessors(), null);
    }

    /**
     * {@link #repack}, laid out for products on {@code threads} threads ({@link LutLayout#groupTiles(int, int)}), the
     * layout taken from {@code cache} when it holds this tensor's (null: no cache).
     */
    static TernaryLutMatrix repack(String name, GgmlType type, int rows, int cols, MemorySegment data, TernaryBlockFormat format,
            int threads, LayoutCache cache) {
        // products in a peer's order run on the file's bytes: with the vectorized lane sums, the same floats
        TernaryBlockMatrix exact = new TernaryBlockVectorMatrix(name, type, rows, cols, data, format);
        int blocks = cols / BLOCK;
        // a pass over every block's scale: kept in the cache's index, so that a cached layout needs none of the file's bytes
        float uniform = Float.intBitsToFloat(LayoutCache.fact(cache, "uniform scale of " + name, data.byteSize(),
                () -> Float.floatToRawIntBits(uniformScale(data, (long) rows * blocks, format))));
        boolean scaled = Float.isNaN(uniform);
        LutLayout layout = LutLayout.pack(cache, name, data, rows, cols, BLOCK, LutKernel.tileRows(), threads, scaled, (row, codes, scales) -> {
            for (int b = 0; b < blocks; b++) {
                scales[b] = format.decodeCodes(data, (long) row * blocks + b, codes, b * BLOCK);
            }
        });
        return new TernaryLutMatrix(exact, layout, uniform);
    }

    /** The scale of the first of {@code blocks} blocks if every block's fp16 scale has the same bits, else NaN. */
    private static float uniformScale(MemorySegment data, long blocks, TernaryBlockFormat format) {
        if (data.byteSize() < blocks * format.blockBytes()) {
            return Float.NaN; // too short: decoding reports where
        }
        short first = format.scaleBits(data, 0);
        for (long b = 1; b < blocks; b++) {
            if (format.scaleBits(data, b) != first) {
                return Float.NaN;
            }
        }
        float d = Float.float16ToFloat(first);
        return Float.isFinite(d) ? d : Float.NaN;
    }

    @Override
    MemorySegment scales() {
        return Float.isNaN(uniformScale) ? layout.scales() : LutKernel.UNIT_SCALES;
    }

    @Override
    long scaleOffset(int b, int tile) {
        return Float.isNaN(uniformScale) ? layout.scalesAt(b, tile) : 0;
    }

    @Override
    long scaleStep() {
        return Float.isNaN(uniformScale) ? (long) layout.tileRows() * Float.BYTES : 0;
    }

    @Override
    float[] blockScales(Activations in) {
        return in.scales(ActivationType.Q8_K);
    }

    @Override
    int d8Offset(int token) {
        return token * layout.blocksPerRow();
    }

    @Override
    void finishRows(float[] sums, int sumsAt, Activations in, int token, float[] out, int outAt, int n) {
        if (Float.isNaN(uniformScale)) { // the block scales are in the sums already
            System.arraycopy(sums, sumsAt, out, outAt, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            out[outAt + i] = sums[sumsAt + i] * uniformScale;
        }
    }

    /** The scale all blocks share, or NaN when the layout holds one per block. */
    float uniformScale() {
        return uniformScale;
    }

    /** The scale of block {@code b} of {@code row} as the kernel applies it. */
    float blockScale(int row, int b) {
        return Float.isNaN(uniformScale) ? layout.scale(row, b) : uniformScale;
    }
}
