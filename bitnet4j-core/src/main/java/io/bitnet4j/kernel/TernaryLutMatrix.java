package io.bitnet4j.kernel;

import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * The vectorized kernel for llama.cpp's TQ1_0 and TQ2_0: the weights repacked into a {@link LutLayout} with
 * their fp16 block scales as float32, multiplied by the Q8_K activations through lookup tables
 * ({@link LutKernel}). The integer block sums are those of the scalar kernel; only the float combination of
 * blocks has another order, so it runs for {@link Summation.Routine#KERNEL_ORDER} and products that must
 * follow llama.cpp's order go to the scalar {@link TernaryBlockMatrix} over the file's bytes.
 */
final class TernaryLutMatrix extends LutMatrix {
    private static final int BLOCK = TernaryBlockFormat.BLOCK_SIZE;

    private TernaryLutMatrix(TernaryBlockMatrix exact, LutLayout layout) {
        super(exact, layout);
    }

    /** Repacks the {@code rows × cols} tensor {@code data} of {@code format} (rows of whole 256-blocks). */
    static TernaryLutMatrix repack(String name, GgmlType type, int rows, int cols, MemorySegment data, TernaryBlockFormat format) {
        TernaryBlockMatrix exact = new TernaryBlockMatrix(name, type, rows, cols, data, format);
        int blocks = cols / BLOCK;
        LutLayout layout = LutLayout.pack(rows, cols, BLOCK, LutKernel.tileRows(), true, (row, trits, scales) -> {
            for (int b = 0; b < blocks; b++) {
                scales[b] = format.decodeBlock(data, (long) row * blocks + b, trits, b * BLOCK);
            }
        });
        return new TernaryLutMatrix(exact, layout);
    }

    @Override
    MemorySegment scales() {
        return layout.scales();
    }

    @Override
    long scaleOffset(int b, int tile) {
        return layout.scalesAt(b, tile);
    }

    @Override
    long scaleStep() {
        return (long) layout.tileRows() * Float.BYTES;
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
    float finish(float kernelSum, Activations in, int token, int row) {
        return kernelSum;
    }
}
