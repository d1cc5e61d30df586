package io.bitnet4j.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.util.stream.Collectors;

/**
 * Reading and writing tensor data of a {@link GgmlType}, row by row so that no tensor needs one giant array.
 *
 * <p>Every type here decodes to float32, exactly as ggml's {@code to_float} does: F32, F16, BF16, Q8_0, Q4_0,
 * Q4_K, Q6_K and the ternary TQ1_0, TQ2_0 and I2_S. F32, F16, BF16, Q8_0, TQ1_0, TQ2_0 and I2_S also encode,
 * each with its reference quantizer (ggml's for the ggml types, bitnet.cpp's for I2_S). Other types fail with
 * an {@link IllegalArgumentException} naming the type (and, via {@link #rows(GgufTensor)}, the tensor).
 *
 * <p>Ternary types ({@link #isTernary()}) are also read and written as trits plus scales
 * ({@link TernarySource}), which is how conversions between them keep every trit.
 *
 * <pre>{@code
 * RowSource rows = TensorCodec.rows(file.tensor("blk.0.attn_q.weight"));
 * float[] row = new float[(int) rows.rowLength()];
 * rows.readRows(0, 1, row);
 * }</pre>
 */
public sealed interface TensorCodec permits BlockCodec, I2sCodec {
    /** About how many elements codecs handle at once when they stream a tensor. */
    int CHUNK_ELEMENTS = 1 << 20;

    /** The codec of {@code type}; throws naming the type if it has none. */
    static TensorCodec of(GgmlType type) {
        TensorCodec c = CodecTable.BY_TYPE.get(type);
        if (c == null) {
            throw new IllegalArgumentException("ggml type " + type + " cannot be decoded here; supported: " + supported());
        }
        return c;
    }

    /** Whether {@code type} can be decoded. */
    static boolean isSupported(GgmlType type) {
        return CodecTable.BY_TYPE.containsKey(type);
    }

    /** The types that can be decoded, in id order, for messages. */
    static String supported() {
        return CodecTable.BY_TYPE.keySet().stream().sorted().map(GgmlType::name).collect(Collectors.joining(", "));
    }

    /** The rows of a tensor of an open GGUF file; throws naming the tensor if its type cannot be decoded. */
    static RowSource rows(GgufTensor t) {
        return rows(t.name(), t.type(), t.dims(), t.data());
    }

    /** The rows of tensor {@code name} stored as {@code type}; throws naming the tensor if the type cannot be decoded. */
    static RowSource rows(String name, GgmlType type, long[] dims, MemorySegment data) {
        if (!isSupported(type)) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + type + ", which cannot be decoded here; supported: "
                    + supported());
        }
        return of(type).rows(name, dims, data);
    }

    GgmlType type();

    /** Whether {@link #encode} works for this type. */
    boolean canEncode();

    /** Whether the type stores trits and scales (TQ1_0, TQ2_0, I2_S). */
    boolean isTernary();

    /**
     * Whether rows of {@code rowLength} elements can be encoded: whole blocks for block types, and for I2_S whole
     * runs of 128 (bitnet.cpp's kernels read a row in runs of 128, though the format only needs 4).
     */
    boolean acceptsRowLength(long rowLength);

    /**
     * The tensor {@code data} (exactly {@code type().byteSize(n)} bytes) with dims in ggml order, as rows; a
     * {@link TernarySource} when {@link #isTernary()}. Throws if the dims do not fit the type or the data's size.
     */
    RowSource rows(String name, long[] dims, MemorySegment data);

    /**
     * Encodes the whole of {@code source} to {@code out}: exactly {@code type().byteSize(source.elements())} bytes.
     * Throws (naming the tensor) on NaN or infinite values, on values beyond the type's range, and on rows the
     * type cannot hold.
     */
    void encode(RowSource source, WritableByteChannel out) throws IOException;

    /**
     * Writes the trits of {@code source} unchanged and its scales as exactly as this (ternary) type allows: TQ1_0/TQ2_0
     * round each block's scale to fp16; I2_S keeps one scale per tensor, the common one if the source has only one
     * magnitude, otherwise the least-squares fit over the nonzero trits. A negative scale flips its trits and a zero
     * scale zeroes them, so every value {@code trit · scale} is kept wherever the scale is. An all-zero block gets
     * scale 0, as llama.cpp's quantizer writes it.
     *
     * @return the relative RMS change of the nonzero values that the scale rounding caused (0 when exact)
     */
    double encodeTernary(TernarySource source, WritableByteChannel out) throws IOException;
}
