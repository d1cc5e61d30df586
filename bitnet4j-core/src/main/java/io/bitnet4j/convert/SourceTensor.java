package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TernarySource;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * One tensor of a model being converted, whatever file it comes from: a GGUF tensor, a safetensors tensor, a slice
 * of a llama2.c checkpoint, or a tensor computed on the way (ternarized, unpacked, permuted). Dims are in ggml order
 * ({@code dims[0]} is the row length).
 */
public interface SourceTensor {
    /** The GGUF tensor name it will have. */
    String name();

    /** ggml dims (a copy). */
    long[] dims();

    /** The GGUF type its {@link #raw()} bytes are in, when they can be copied to a GGUF file as they are. */
    Optional<GgmlType> storedType();

    /** The stored bytes, present exactly when {@link #storedType()} is. */
    Optional<MemorySegment> raw();

    /** The values as rows of floats; throws (naming the tensor) if its stored type cannot be decoded. */
    RowSource rows();

    /** The tensor as trits and scales, when it is ternary. */
    Optional<TernarySource> ternary();

    /** Drops what was computed and cached for this tensor (a conversion calls it once the tensor is written). */
    default void release() {}

    default long elements() {
        long n = 1;
        for (long d : dims()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A tensor whose bytes are stored as {@code type} (decoded through {@link io.bitnet4j.gguf.TensorCodec}). */
    static SourceTensor stored(String name, GgmlType type, long[] dims, MemorySegment data) {
        return new StoredTensor(name, type, dims, data);
    }
}
