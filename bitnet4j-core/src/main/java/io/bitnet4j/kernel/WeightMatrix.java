package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;

/**
 * A {@code [rows, cols]} weight matrix bound to a kernel that multiplies it by activation rows:
 * {@code out[t·rows + r] = Σ_c W[r, c] · x[t, c]}. The weights stay where they are (usually a memory-mapped
 * GGUF tensor); implementations decode them on the fly.
 *
 * <p>One implementation exists per storage type and kernel flavour (the scalar ones here; vectorized ones
 * per vector width can be added by a {@link KernelProvider}). A kernel computes any range of output rows
 * for all tokens, reusing each decoded weight row across the tokens; {@link MatMul} splits the rows over
 * threads. Every row is computed the same way whatever the split, so results do not depend on the thread count.
 */
public interface WeightMatrix {
    /** The tensor name, for messages. */
    String name();

    /** The storage type. */
    GgmlType type();

    /** Output features (ggml {@code ne[1]}). */
    int rows();

    /** Input features, the row length (ggml {@code ne[0]}). */
    int cols();

    /** The activation form the reference implementation converts inputs to for this matrix. */
    ActivationType activationType();

    /**
     * The activation form of this matrix's fast products ({@link Summation.Routine#KERNEL_ORDER}):
     * {@link #activationType()} unless the matrix has a faster kernel for another (Q6_K and Q4_K: int8 activations, as
     * llama.cpp multiplies them; those matrices still take a prompt's products, two tokens or more, from the float
     * values, which any prepared {@link Activations} keep).
     */
    default ActivationType fastActivationType() {
        return activationType();
    }

    /** Whether {@link #multiplyRows} can read activations of {@code type}. */
    boolean accepts(ActivationType type);

    /**
     * Computes output rows {@code rowFrom ≤ r < rowTo} for every token row of {@code in} (already
     * {@link Activations#prepare prepared} as {@code as}) into {@code out[outOffset + t·rows() + r]}, float
     * products summed in the order {@code sum} names where the kernel sums floats (the integer kernels
     * have their own fixed order). Allocates nothing; {@code scratch} is the calling thread's own.
     */
    void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch);

    /**
     * Rows this kernel computes together (a vectorized kernel's tile, or a group of tiles stored as one stream):
     * {@link MatMul} splits the rows between threads at multiples of it, so no tile is computed twice and each
     * thread's share is whole units.
     */
    default int rowTile() {
        return 1;
    }

    /** Writes row {@code row} as floats into {@code dst[dstOffset .. dstOffset+cols)} (embedding lookups). */
    void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch);
}
