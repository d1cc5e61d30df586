package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TernarySource;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * A tensor that is computed as a {@link TernaryWeight} when first read and kept until {@link #release()}, so that a
 * conversion holds one such tensor in memory at a time.
 */
abstract class LazyTernaryTensor implements SourceTensor {
    private final String name;
    private final long[] dims;
    private TernaryWeight weight;

    LazyTernaryTensor(String name, long[] dims) {
        this.name = name;
        this.dims = dims.clone();
    }

    /** Computes the weight (called at most once between releases). */
    abstract TernaryWeight compute();

    /** The weight, computed now if needed. */
    final TernaryWeight weight() {
        if (weight == null) {
            weight = compute();
        }
        return weight;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long[] dims() {
        return dims.clone();
    }

    @Override
    public final Optional<GgmlType> storedType() {
        return Optional.empty();
    }

    @Override
    public final Optional<MemorySegment> raw() {
        return Optional.empty();
    }

    @Override
    public final RowSource rows() {
        return ternary().orElseThrow();
    }

    @Override
    public final Optional<TernarySource> ternary() {
        return Optional.of(TernarySource.of(name, weight()));
    }

    @Override
    public void release() {
        weight = null;
    }

    /** The outermost-first {@link Shape} of ggml dims; throws naming the tensor if it exceeds one Java array. */
    static Shape shape(String name, long[] dims) {
        int[] outerFirst = new int[dims.length];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = dims[dims.length - 1 - i];
            n *= d;
            if (d > Integer.MAX_VALUE || n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor '" + name + "' " + java.util.Arrays.toString(dims)
                        + " has too many elements to be ternarized in one array");
            }
            outerFirst[i] = (int) d;
        }
        return Shape.of(outerFirst);
    }
}
