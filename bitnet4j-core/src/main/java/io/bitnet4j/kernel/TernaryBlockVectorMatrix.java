package io.bitnet4j.kernel;

import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TernaryBlockMatrix} with its integer lane sums vectorized: the products that must follow llama.cpp's order
 * (the exact numerics of {@code perplexity} and {@code logits}) on TQ1_0 and TQ2_0. The float steps are the scalar
 * kernel's own, and the integer sums are the same integers, so every product is the same float to the bit; only the
 * multiply-adds of codes by activations run {@link VectorWidth#SHORTS}'s lanes at a time.
 *
 * <p>Lane {@code k} of a block is the sum over its elements {@code e} with {@code (e mod 32) / 4 = k}: the products
 * of each 32-value run are accumulated position by position in 16-bit lanes (at most 8 runs × 2 × 127 per lane),
 * and the 32 positions are folded into the 8 lanes once per block.
 */
final class TernaryBlockVectorMatrix extends TernaryBlockMatrix {
    private static final VectorSpecies<Byte> BYTES = VectorWidth.HALF_BYTES;
    private static final VectorSpecies<Short> SHORTS = VectorWidth.SHORTS;
    private static final int STEP = SHORTS.length(); // values per step: 32 at 512 bits, 16 at 256
    private static final int RUN = 32;

    TernaryBlockVectorMatrix(String name, GgmlType type, int rows, int cols, MemorySegment data, TernaryBlockFormat format) {
        super(name, type, rows, cols, data, format);
    }

    @Override
    void blockLanes(byte[] codes, int w, byte[] q, int x, int[] sums32, int[] lane, KernelScratch scratch) {
        short[] positions = scratch.positionSums;
        for (int half = 0; half < RUN; half += STEP) { // one pass per STEP positions of a run (two at 256 bits)
            ShortVector acc = ShortVector.zero(SHORTS);
            for (int run = 0; run < BLOCK; run += RUN) {
                ShortVector c = (ShortVector) ByteVector.fromArray(BYTES, codes, w + run + half).convertShape(VectorOperators.B2S, SHORTS, 0);
                ShortVector v = (ShortVector) ByteVector.fromArray(BYTES, q, x + run + half).convertShape(VectorOperators.B2S, SHORTS, 0);
                acc = acc.add(c.mul(v));
            }
            acc.intoArray(positions, half);
        }
        for (int k = 0; k < LANES; k++) {
            int p = 4 * k;
            lane[k] = positions[p] + positions[p + 1] + positions[p + 2] + positions[p + 3] - sums32[x / RUN + k];
        }
    }
}
