package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.TensorCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Binds GGUF weight tensors to matrix kernels: asks each {@link KernelProvider} in order (faster families
 * first, {@link ScalarKernels} last), then, for a type none of them handles, falls back to dequantizing rows with
 * {@link TensorCodec} (Q8_0, Q4_0, Q4_K, Q6_K: see {@code CodecKernels}), and fails clearly for a
 * type that cannot even be decoded.
 */
public final class MatrixKernels {
    private final List<KernelProvider> providers;

    /** Providers in order of preference. */
    public MatrixKernels(List<KernelProvider> providers) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("at least one kernel provider is needed");
        }
        this.providers = List.copyOf(providers);
    }

    /** The scalar kernels alone. */
    public static MatrixKernels scalar() {
        return new MatrixKernels(List.of(ScalarKernels.INSTANCE));
    }

    /** The system property that picks the kernels {@link #defaults()} returns: {@code vector} or {@code scalar}. */
    public static final String PROPERTY = "bitnet4j.kernels";
    /** The system property that, set to {@code true}, gives {@link #defaults()} int8 copies of F16 matrices (the LM head). */
    public static final String INT8_F16_PROPERTY = "bitnet4j.kernels.int8f16";

    /**
     * The kernels a model uses unless told otherwise: the Vector API kernels first (at the width of the
     * system property {@code bitnet4j.vector.bits}: 512, 256 or preferred), then the scalar ones; the scalar
     * ones alone when {@code -Dbitnet4j.kernels=scalar}, when the {@code jdk.incubator.vector} module is not
     * present, or when the CPU's vectors are narrower than 256 bits. With {@code -Dbitnet4j.kernels.int8f16=true}
     * F16 matrices get an int8 copy for kernel-order products (off by default: lossy).
     */
    public static MatrixKernels defaults() {
        // a bad read-ahead setting is refused here, before the model loads, rather than at its first session
        ReadAheadTuner.fixedDistance(System.getProperty(ReadAheadTuner.PROPERTY, "auto"));
        String choice = System.getProperty(PROPERTY, "vector").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (choice) {
            case "scalar" -> scalar();
            case "vector", "" -> vectorProvider(Boolean.getBoolean(INT8_F16_PROPERTY)).map(v -> new MatrixKernels(List.of(v, ScalarKernels.INSTANCE))).orElseGet(MatrixKernels::scalar);
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be vector or scalar, not '" + choice + "'");
        };
    }

    /** The vectorized kernels (F16 read as stored), or empty when they cannot run here (no Vector API module, or too narrow a CPU). */
    public static Optional<KernelProvider> vectorProvider() {
        return vectorProvider(false);
    }

    /**
     * {@link #vectorProvider()}, with an int8 copy of F16 weight matrices for {@link Summation.Routine#KERNEL_ORDER}
     * products if {@code int8F16} (the LM head: half the bytes; its accuracy cost is the caller's to judge).
     */
    public static Optional<KernelProvider> vectorProvider(boolean int8F16) {
        try {
            return Optional.ofNullable(VectorKernels.create(int8F16));
        } catch (NoClassDefFoundError e) {
            return Optional.empty(); // started without --add-modules jdk.incubator.vector
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad; // a malformed -Dbitnet4j.vector.bits
            }
            return Optional.empty();
        }
    }

    /**
     * These kernels with the repacked lookup-table layouts kept in {@code cache}: a later load of the same model maps
     * them from its file instead of repacking (see {@link LayoutCache}); unchanged if there are no vector kernels.
     */
    public MatrixKernels withLayoutCache(LayoutCache cache) {
        Objects.requireNonNull(cache, "cache");
        return new MatrixKernels(providers.stream().map(p -> p instanceof VectorKernels v ? (KernelProvider) v.withCache(cache) : p).toList());
    }

    /**
     * These kernels with the repacked lookup-table layouts arranged for products on {@code threads} threads (the
     * default is one per processor). A layout for several threads is cut into groups that the threads share, each
     * read as one stream; on one thread a layout with one group per matrix is faster. Products run correctly on any
     * thread count; only their speed depends on the match.
     */
    public MatrixKernels withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " must be at least 1");
        }
        return new MatrixKernels(providers.stream().map(p -> p instanceof VectorKernels v ? (KernelProvider) v.withThreads(threads) : p).toList());
    }

    /**
     * These kernels without the repacked TQ1_0 and TQ2_0 layouts, whose tensors then go to the llama.cpp-order kernel
     * over the file's bytes ({@link TernaryBlockVectorMatrix}). For models whose every product follows a peer's summation order (the numerics of
     * {@code perplexity} and {@code logits}): those products never run on the layouts, which would only cost the
     * repack and the memory. I2_S layouts stay: they give the same sums in every order.
     */
    public MatrixKernels withoutTqLayouts() {
        return new MatrixKernels(providers.stream().map(p -> p instanceof VectorKernels v ? (KernelProvider) v.withoutTqLayouts() : p).toList());
    }

    /**
     * These kernels plus a fallback for {@code type}: its rows are decoded by {@code decoder} and multiplied
     * in float32 with unrounded activations. Numerically that is not what llama.cpp does (it quantizes the
     * activations to the type's {@code vec_dot_type}), but it makes any decodable type usable. A decoder given
     * here is preferred to the built-in {@link TensorCodec} fallback.
     */
    public MatrixKernels withDecoder(GgmlType type, RowDecoder decoder) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(decoder, "decoder");
        List<KernelProvider> more = new ArrayList<>(providers);
        more.add((t, rows, cols) -> t.type() == type
                ? Optional.of(new DenseRowMatrix(t.name(), type, rows, cols, t.data(), decoder, ActivationType.F32))
                : Optional.empty());
        return new MatrixKernels(more);
    }

    /**
     * The kernel for a 2-D tensor ({@code dims = {cols, rows}}, trailing dimensions of 1 allowed). Throws
     * {@link IllegalArgumentException} naming the tensor if it is not a matrix or its type has neither a kernel nor
     * a decoder.
     */
    public WeightMatrix bind(GgufTensor t) {
        long[] dims = t.dims();
        for (int i = 2; i < dims.length; i++) {
            if (dims[i] != 1) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' has dims " + Arrays.toString(dims)
                        + "; a weight matrix has two");
            }
        }
        if (dims.length < 1 || dims[0] > Integer.MAX_VALUE || (dims.length > 1 && dims[1] > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' has dims " + Arrays.toString(dims)
                    + ", too large for a matrix kernel");
        }
        int cols = (int) dims[0];
        int rows = dims.length > 1 ? (int) dims[1] : 1;
        for (KernelProvider p : providers) {
            Optional<WeightMatrix> m = p.bind(t, rows, cols);
            if (m.isPresent()) {
                return m.get();
            }
        }
        return CodecKernels.INSTANCE.bind(t, rows, cols).orElseThrow(() -> new IllegalArgumentException("tensor '" + t.name()
                + "': type " + t.type() + " not supported yet for matmul (no kernel, and it cannot be decoded here; decodable: "
                + TensorCodec.supported() + ")"));
    }
}
