package io.bitnet4j.model;

/**
 * The tensors of one transformer block. The sub-norms exist only for the BitNet architectures (null otherwise).
 * Norm vectors are small and copied to the heap; the matrices stay memory-mapped.
 */
record LayerWeights(float[] attnNorm, Projection q, Projection k, Projection v, float[] attnSubNorm, Projection o,
        float[] ffnNorm, Projection gate, Projection up, float[] ffnSubNorm, Projection down) {}
