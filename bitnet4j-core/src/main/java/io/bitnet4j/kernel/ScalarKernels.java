package io.bitnet4j.kernel;

import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.gguf.GgufTensor;
import java.util.Optional;

/**
 * The plain-Java kernels: F32, F16 and BF16 (float activations, rounded to the weight's type as ggml does),
 * TQ1_0 and TQ2_0 (Q8_K activations) and I2_S (per-token int8 activations). Correct everywhere and the
 * reference the vectorized kernels are checked against.
 */
public final class ScalarKernels implements KernelProvider {
    /** The one instance. */
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {}

    @Override
    public Optional<WeightMatrix> bind(GgufTensor t, int rows, int cols) {
        String n = t.name();
        return Optional.ofNullable(switch (t.type()) {
            case F32 -> new DenseRowMatrix(n, t.type(), rows, cols, t.data(), FloatRowDecoders.F32, ActivationType.F32);
            case F16 -> new DenseRowMatrix(n, t.type(), rows, cols, t.data(), FloatRowDecoders.F16, ActivationType.F16);
            case BF16 -> new DenseRowMatrix(n, t.type(), rows, cols, t.data(), FloatRowDecoders.BF16, ActivationType.BF16);
            case TQ1_0 -> new TernaryBlockMatrix(n, t.type(), rows, cols, t.data(), TQ1_0.FORMAT);
            case TQ2_0 -> new TernaryBlockMatrix(n, t.type(), rows, cols, t.data(), TQ2_0.FORMAT);
            case I2_S -> new I2sMatrix(n, rows, cols, t.data());
            default -> null;
        });
    }
}
