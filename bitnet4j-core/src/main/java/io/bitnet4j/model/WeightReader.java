package io.bitnet4j.model;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.kernel.FloatRowDecoders;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.kernel.RowDecoder;
import io.bitnet4j.kernel.WeightMatrix;
import java.util.Arrays;
import java.util.Optional;

/**
 * Looks up a model's tensors by name and checks each against the shape the configuration implies, so a
 * malformed file fails at load time with a message naming the tensor, its dims and the expected dims.
 */
final class WeightReader {
    private final GgufFile file;
    private final MatrixKernels kernels;
    private final String model;

    WeightReader(GgufFile file, MatrixKernels kernels, ModelConfig config) {
        this.file = file;
        this.kernels = kernels;
        this.model = config.architecture().ggufName() + " model " + file.path().getFileName();
    }

    /** The matrix {@code name} with ggml dims {@code {cols, rows}}, bound to a kernel; throws if missing or misshapen. */
    WeightMatrix matrix(String name, long cols, long rows) {
        return kernels.bind(checked(require(name), cols, rows));
    }

    Optional<WeightMatrix> optionalMatrix(String name, long cols, long rows) {
        return file.findTensor(name).map(t -> kernels.bind(checked(t, cols, rows)));
    }

    /** The 1-D float vector {@code name} of length {@code n} (F32, F16 or BF16), copied; throws if missing or misshapen. */
    float[] vector(String name, long n) {
        return toFloats(checked(require(name), n));
    }

    Optional<float[]> optionalVector(String name, long n) {
        return file.findTensor(name).map(t -> toFloats(checked(t, n)));
    }

    /** A linear layer: {@code <base>.weight} plus the optional {@code <base>.scale} and {@code <base>.bias}. */
    Projection projection(String base, long cols, long rows) {
        WeightMatrix w = matrix(base + ".weight", cols, rows);
        Optional<float[]> scale = optionalVector(base + ".scale", 1);
        float[] bias = optionalVector(base + ".bias", rows).orElse(null);
        return new Projection(w, scale.map(s -> s[0]).orElse(1f), scale.isPresent(), bias);
    }

    private GgufTensor require(String name) {
        return file.findTensor(name).orElseThrow(
                () -> new IllegalArgumentException(model + " is missing tensor '" + name + "'"));
    }

    /** Throws unless the tensor's dims are {@code expected} (trailing 1s ignored). */
    private GgufTensor checked(GgufTensor t, long... expected) {
        long[] dims = t.dims();
        int rank = dims.length;
        while (rank > expected.length && dims[rank - 1] == 1) {
            rank--;
        }
        if (!Arrays.equals(Arrays.copyOf(dims, rank), expected)) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' has dims " + Arrays.toString(dims)
                    + " but the " + model + " needs " + Arrays.toString(expected)
                    + " (ggml order, row length first; from the file's hyperparameters)");
        }
        return t;
    }

    private static float[] toFloats(GgufTensor t) {
        RowDecoder decoder = switch (t.type()) {
            case F32 -> FloatRowDecoders.F32;
            case F16 -> FloatRowDecoders.F16;
            case BF16 -> FloatRowDecoders.BF16;
            default -> throw new IllegalArgumentException("tensor '" + t.name() + "' is " + t.type()
                    + "; vectors (norms, scales, biases) must be F32, F16 or BF16");
        };
        int n = (int) t.nElements();
        float[] out = new float[n];
        decoder.decodeRow(t.data(), 0, n, out, 0);
        return out;
    }
}
