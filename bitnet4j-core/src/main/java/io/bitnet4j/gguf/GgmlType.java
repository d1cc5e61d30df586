package io.bitnet4j.gguf;

import io.bitnet4j.tensor.Shape;

/**
 * The ggml tensor types a GGUF file can name, with their storage geometry: a tensor of a type is a run
 * of blocks, each holding {@link #blockSize()} elements in {@link #blockBytes()} bytes, and (for
 * {@link #I2_S} only) a trailer of {@link #trailerBytes()} bytes after the last block.
 *
 * <p>Ids follow {@code enum ggml_type} in ggml.h. Two id ranges deserve a warning:
 * <ul>
 *   <li>Id 30 is {@link #BF16}, bfloat16: not a ternary format, whatever its neighbours suggest.
 *   <li>Ids 4 and 5 (Q4_2, Q4_3) and 31–33 (Q4_0_4_4, Q4_0_4_8, Q4_0_8_8) were removed from ggml, which
 *       now rejects files that use them, and ids 37–39 mean different things in upstream ggml and in
 *       bitnet.cpp's fork. They are not constants here: {@link #fromId} rejects them naming what they were.
 * </ul>
 *
 * <p>{@link #I2_S} (36) is bitnet.cpp's 2-bit ternary type, absent from upstream ggml. Its codes take a
 * quarter byte per element, packed in runs of 128 elements that may cross row boundaries, and the
 * tensor ends with one 32-byte trailer whose first 4 bytes are the float32 tensor scale (the other 28
 * are padding). A tensor of {@code n} elements is therefore {@code n/4 + 32} bytes. The fork's type
 * table calls it "block 1, 1 byte" and special-cases {@code ggml_nbytes}; its gguf-py says "block 4,
 * 1 byte" and leaves the trailer to the writer. We model what is on disk: blocks of 4 elements in 1
 * byte plus the per-tensor trailer, so {@link #byteSize(long)} is the real size and a row length must
 * be a multiple of 4.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    /** bfloat16 (id 30): a float format, not ternary. */
    BF16(30, 1, 2),
    /** Ternary, base-3 packed: 256 elements in 54 bytes (48 + 4 packed bytes and an f16 scale). */
    TQ1_0(34, 256, 54),
    /** Ternary, 2 bits each: 256 elements in 66 bytes (64 code bytes and an f16 scale). */
    TQ2_0(35, 256, 66),
    /** bitnet.cpp's ternary type: 4 elements a byte plus one 32-byte trailer (the f32 scale) per tensor. */
    I2_S(36, 4, 1, 32);

    private static final GgmlType[] BY_ID = new GgmlType[40];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int blockBytes;
    private final int trailerBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this(id, blockSize, blockBytes, 0);
    }

    GgmlType(int id, int blockSize, int blockBytes, int trailerBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
        this.trailerBytes = trailerBytes;
    }

    /** The type with ggml id {@code id}; throws {@link IllegalArgumentException} naming removed or unknown ids. */
    public static GgmlType fromId(long id) {
        if (id >= 0 && id < BY_ID.length && BY_ID[(int) id] != null) {
            return BY_ID[(int) id];
        }
        String known = switch ((int) Math.max(-1, Math.min(id, 1000))) {
            case 4 -> " (Q4_2, removed from ggml)";
            case 5 -> " (Q4_3, removed from ggml)";
            case 31 -> " (Q4_0_4_4, removed from ggml: repack the model to Q4_0)";
            case 32 -> " (Q4_0_4_8, removed from ggml: repack the model to Q4_0)";
            case 33 -> " (Q4_0_8_8, removed from ggml: repack the model to Q4_0)";
            case 37 -> " (I8_S in bitnet.cpp, IQ4_NL_4_8 in old ggml; not supported)";
            case 38 -> " (TL1 in bitnet.cpp, IQ4_NL_8_8 in old ggml; not supported)";
            case 39 -> " (TL2 in bitnet.cpp, MXFP4 in ggml; not supported)";
            default -> "";
        };
        throw new IllegalArgumentException("unknown ggml type id " + id + known);
    }

    /** The id stored in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** Elements per block; a row length (ggml {@code ne[0]}) must be a multiple of it. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Bytes stored once per tensor after the blocks: 32 for {@link #I2_S}, 0 for every other type. */
    public int trailerBytes() {
        return trailerBytes;
    }

    /** Storage bits per element, not counting a per-tensor trailer. */
    public double bitsPerElement() {
        return 8.0 * blockBytes / blockSize;
    }

    /**
     * Bytes of one row of {@code rowLength} elements. Throws if the length is not a positive multiple of
     * the block size, or for {@link #I2_S}, whose 128-element code runs may cross rows and whose scale is
     * per tensor, so a row has no byte range of its own: use {@link #byteSize(long)} there.
     */
    public long rowBytes(long rowLength) {
        if (trailerBytes != 0) {
            throw new IllegalArgumentException(
                    this + " has no per-row layout (code runs cross rows, one scale per tensor); use byteSize(nElements)");
        }
        requireBlocks(rowLength, "row length");
        return Math.multiplyExact(rowLength / blockSize, (long) blockBytes);
    }

    /**
     * Bytes of a whole tensor of {@code nElements} elements, trailer included. Throws if the count is not
     * a positive multiple of the block size or the size overflows a {@code long}.
     */
    public long byteSize(long nElements) {
        requireBlocks(nElements, "element count");
        try {
            return Math.addExact(Math.multiplyExact(nElements / blockSize, (long) blockBytes), trailerBytes);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(this + " tensor of " + nElements + " elements overflows a 64-bit byte size");
        }
    }

    /** Bytes of a tensor of this (outer-first) shape; its last dimension is the row and must divide into blocks. */
    public long byteSize(Shape shape) {
        requireBlocks(shape.lastDim(), "row length");
        return byteSize((long) shape.size());
    }

    private void requireBlocks(long n, String what) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " " + n + " of a " + this + " tensor must be positive");
        }
        if (n % blockSize != 0) {
            throw new IllegalArgumentException(
                    what + " " + n + " is not a multiple of " + this + "'s block size " + blockSize);
        }
    }
}
