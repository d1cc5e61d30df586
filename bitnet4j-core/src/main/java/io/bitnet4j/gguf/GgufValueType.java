package io.bitnet4j.gguf;

/** The 13 GGUF metadata value types, with their ids and (for fixed-size types) byte sizes. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    /** One byte, 0 or 1. */
    BOOL(7, 1),
    /** A u64 byte length, then that many bytes of UTF-8 (no terminator). */
    STRING(8, 0),
    /** An element type (never ARRAY), a u64 count, then the elements. */
    ARRAY(9, 0),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    /** The type with this id; throws {@link IllegalArgumentException} for ids outside 0..12. */
    public static GgufValueType fromId(long id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("unknown GGUF value type " + id + " (must be 0..12)");
        }
        return BY_ID[(int) id];
    }

    public int id() {
        return id;
    }

    /** Bytes of one value; 0 for the variable-size STRING and ARRAY. */
    public int size() {
        return size;
    }

    /** Whether values are a fixed number of bytes (every type but STRING and ARRAY). */
    public boolean isFixedSize() {
        return size != 0;
    }

    /** Whether this is one of the eight integer types. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** Whether this is a signed integer type. */
    public boolean isSignedInteger() {
        return this == INT8 || this == INT16 || this == INT32 || this == INT64;
    }

    /** Whether this is FLOAT32 or FLOAT64. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }
}
