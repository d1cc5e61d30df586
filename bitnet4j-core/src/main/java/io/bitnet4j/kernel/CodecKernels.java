package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TensorCodec;
import java.util.Optional;

/**
 * The last resort of {@link MatrixKernels#bind}: any type {@link TensorCodec} can decode (Q8_0, Q4_0, Q4_K, Q6_K,
 * ...) becomes a {@link DenseRowMatrix} whose rows are dequantized exactly as ggml's {@code to_float} does and
 * multiplied in float32 with unrounded activations. That is what makes a file from {@code llama-quantize} run
 * (its output head is usually Q6_K, its token embedding Q4_K or Q6_K) without a kernel per type. It is slower than
 * a native kernel (each decoded row is a small allocation) and its products are not llama.cpp's to the bit, which
 * quantizes the activations to the type's {@code vec_dot_type} first; the dequantized weights are exact.
 */
final class CodecKernels implements KernelProvider {
    static final CodecKernels INSTANCE = new CodecKernels();

    private CodecKernels() {}

    @Override
    public Optional<WeightMatrix> bind(GgufTensor t, int rows, int cols) {
        if (!TensorCodec.isSupported(t.type())) {
            return Optional.empty();
        }
        RowSource source = TensorCodec.rows(t); // checks the row length against the block size and the data size
        return Optional.of(new DenseRowMatrix(t.name(), t.type(), rows, cols, t.data(), decoder(source), ActivationType.F32));
    }

    /** Reads rows from {@code source} (which already holds the tensor's bytes, so the segment argument is not needed). */
    private static RowDecoder decoder(RowSource source) {
        return (data, row, cols, dst, dstOffset) -> {
            if (dstOffset == 0) {
                source.readRows(row, 1, dst);
            } else {
                float[] decoded = new float[cols];
                source.readRows(row, 1, decoded);
                System.arraycopy(decoded, 0, dst, dstOffset, cols);
            }
        };
    }
}
