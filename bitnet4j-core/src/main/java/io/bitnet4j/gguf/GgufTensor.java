package io.bitnet4j.gguf;

import io.bitnet4j.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a GGUF file: its info and its bytes.
 *
 * @param name     the tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param type     the storage type
 * @param dims     the dimensions in ggml order: {@code dims[0]} is the row length (the input axis of a
 *                 weight), so a {@code [out, in]} weight has {@code dims = {in, out}}
 * @param nElements the product of {@code dims}
 * @param offset   the byte offset of the data relative to the file's data section, as stored in the file
 * @param byteSize the size of the data, {@code type.byteSize(nElements)}
 * @param data     the data: a read-only slice of the memory-mapped file (valid until the {@link GgufFile}
 *                 is closed), never a heap copy
 */
public record GgufTensor(String name, GgmlType type, long[] dims, long nElements, long offset, long byteSize, MemorySegment data) {

    public GgufTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        dims = dims.clone();
        if (data.byteSize() != byteSize) {
            throw new IllegalArgumentException("tensor '" + name + "': data has " + data.byteSize() + " bytes, expected " + byteSize);
        }
    }

    /** The dimensions in ggml order (a copy). */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code i} in ggml order ({@code dim(0)} is the row length). */
    public long dim(int i) {
        return dims[i];
    }

    /**
     * The shape outermost first, as bitnet4j's {@link Shape} has it: ggml dims reversed, so a weight
     * stored as {@code {in, out}} gives {@code [out, in]}. Throws if a dimension or the element count
     * exceeds an int.
     */
    public Shape shape() {
        int[] outerFirst = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            long d = dims[dims.length - 1 - i];
            if (d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "' dimension " + d + " exceeds an int");
            }
            outerFirst[i] = (int) d;
        }
        return Shape.of(outerFirst);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensor t && name.equals(t.name) && type == t.type && Arrays.equals(dims, t.dims)
                && offset == t.offset && byteSize == t.byteSize && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(dims), offset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims) + " (" + byteSize + " bytes at data+" + offset + ")";
    }
}
