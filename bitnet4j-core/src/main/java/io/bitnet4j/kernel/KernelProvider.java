package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgufTensor;
import java.util.Optional;

/**
 * A family of matrix kernels (for instance the scalar ones, or vectorized ones for one vector width).
 * {@link MatrixKernels} asks its providers in order and binds a tensor to the first kernel offered.
 */
public interface KernelProvider {
    /** A kernel for this 2-D tensor ({@code dims = {cols, rows}}), or empty if this family has none for its type. */
    Optional<WeightMatrix> bind(GgufTensor tensor, int rows, int cols);
}
