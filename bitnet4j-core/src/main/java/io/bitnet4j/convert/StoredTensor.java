package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TensorCodec;
import io.bitnet4j.gguf.TernarySource;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;

/** A tensor stored in a GGUF type: copied as it is, or decoded by {@link TensorCodec}. */
record StoredTensor(String name, GgmlType type, long[] dims, MemorySegment data) implements SourceTensor {
    StoredTensor {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    @Override
    public Optional<GgmlType> storedType() {
        return Optional.of(type);
    }

    @Override
    public Optional<MemorySegment> raw() {
        return Optional.of(data);
    }

    @Override
    public RowSource rows() {
        return TensorCodec.rows(name, type, dims, data);
    }

    @Override
    public Optional<TernarySource> ternary() {
        return TensorCodec.isSupported(type) && TensorCodec.of(type).isTernary() ? Optional.of((TernarySource) rows()) : Optional.empty();
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
