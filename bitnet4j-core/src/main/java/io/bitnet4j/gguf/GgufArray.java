package io.bitnet4j.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A GGUF array value: a typed, immutable sequence of one element type (never ARRAY: ggml rejects arrays
 * of arrays, and so do we). Fixed-size elements are kept as their raw little-endian bytes, so an array
 * read from a file is written back byte for byte; strings read from a file are kept as its bytes, each decoded when first
 * read ({@link Utf8Strings}), and strings made in code as given.
 *
 * <p>Element access widens like {@link GgufValue.Scalar}: {@link #getLong} works for every integer type,
 * {@link #getInt} when the value fits, {@link #getFloat} for FLOAT32 and FLOAT64.
 */
public final class GgufArray implements GgufValue {
    private final GgufValueType elementType;
    private final int length;
    private final byte[] raw;
    private final ByteBuffer le;
    private final String[] strings;
    /** The elements of a STRING array read from a file, decoded when asked for (null otherwise). */
    private final Utf8Strings packed;

    /** A STRING array as a file holds it, taken over without copying. */
    GgufArray(Utf8Strings packed) {
        this.elementType = GgufValueType.STRING;
        this.packed = packed;
        this.length = packed.size();
        this.strings = null;
        this.raw = null;
        this.le = null;
    }

    /** Takes ownership of {@code raw} (fixed-size elements) or {@code strings} (STRING elements) without copying. */
    GgufArray(GgufValueType elementType, byte[] raw, String[] strings) {
        this.elementType = Objects.requireNonNull(elementType, "elementType");
        if (elementType == GgufValueType.ARRAY) {
            throw new IllegalArgumentException("arrays of arrays are not allowed in GGUF");
        }
        if (elementType == GgufValueType.STRING) {
            for (int i = 0; i < strings.length; i++) {
                Objects.requireNonNull(strings[i], () -> "string array element is null");
            }
            this.strings = strings;
            this.raw = null;
            this.le = null;
            this.length = strings.length;
            this.packed = null;
        } else {
            if (raw.length % elementType.size() != 0) {
                throw new IllegalArgumentException(raw.length + " bytes are not a whole number of " + elementType + " elements");
            }
            if (elementType == GgufValueType.BOOL) {
                for (int i = 0; i < raw.length; i++) {
                    if (raw[i] != 0 && raw[i] != 1) {
                        throw new IllegalArgumentException("BOOL element " + i + " is " + (raw[i] & 0xFF) + "; must be 0 or 1");
                    }
                }
            }
            this.raw = raw;
            this.le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            this.strings = null;
            this.length = raw.length / elementType.size();
            this.packed = null;
        }
    }

    public static GgufArray ofStrings(String... values) {
        return new GgufArray(GgufValueType.STRING, null, values.clone());
    }

    public static GgufArray ofStrings(List<String> values) {
        return new GgufArray(GgufValueType.STRING, null, values.toArray(String[]::new));
    }

    /** An array of integer type {@code type}; throws naming the first value outside the type's range. */
    public static GgufArray ofIntegers(GgufValueType type, long... values) {
        if (!type.isInteger()) {
            throw new IllegalArgumentException(type + " is not an integer type");
        }
        ByteBuffer b = allocate(type, values.length);
        for (int i = 0; i < values.length; i++) {
            long bits;
            try {
                bits = GgufValue.Scalar.ofInteger(type, values[i]).bits();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("element " + i + ": " + e.getMessage());
            }
            putBits(b, type.size(), bits);
        }
        return new GgufArray(type, b.array(), null);
    }

    public static GgufArray ofInt32(int... values) {
        return ofIntegers(GgufValueType.INT32, Arrays.stream(values).asLongStream().toArray());
    }

    public static GgufArray ofFloat32(float... values) {
        ByteBuffer b = allocate(GgufValueType.FLOAT32, values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        return new GgufArray(GgufValueType.FLOAT32, b.array(), null);
    }

    public static GgufArray ofFloat64(double... values) {
        ByteBuffer b = allocate(GgufValueType.FLOAT64, values.length);
        for (double v : values) {
            b.putDouble(v);
        }
        return new GgufArray(GgufValueType.FLOAT64, b.array(), null);
    }

    public static GgufArray ofBooleans(boolean... values) {
        byte[] raw = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            raw[i] = (byte) (values[i] ? 1 : 0);
        }
        return new GgufArray(GgufValueType.BOOL, raw, null);
    }

    private static ByteBuffer allocate(GgufValueType type, int n) {
        return ByteBuffer.allocate(Math.multiplyExact(n, type.size())).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putBits(ByteBuffer b, int size, long bits) {
        switch (size) {
            case 1 -> b.put((byte) bits);
            case 2 -> b.putShort((short) bits);
            case 4 -> b.putInt((int) bits);
            default -> b.putLong(bits);
        }
    }

    @Override
    public GgufValueType type() {
        return GgufValueType.ARRAY;
    }

    public GgufValueType elementType() {
        return elementType;
    }

    public int length() {
        return length;
    }

    /** Element {@code i} of a fixed-size array as a scalar value. */
    public GgufValue.Scalar get(int i) {
        Objects.checkIndex(i, length);
        if (raw == null) {
            throw new IllegalArgumentException("array of STRING has no scalar elements; use getString");
        }
        int size = elementType.size();
        int at = i * size;
        long bits = switch (size) {
            case 1 -> raw[at] & 0xFFL;
            case 2 -> le.getShort(at) & 0xFFFFL;
            case 4 -> le.getInt(at) & 0xFFFF_FFFFL;
            default -> le.getLong(at);
        };
        return new GgufValue.Scalar(elementType, bits);
    }

    public String getString(int i) {
        Objects.checkIndex(i, length);
        if (elementType != GgufValueType.STRING) {
            throw new IllegalArgumentException("array of " + elementType + " has no string elements");
        }
        return packed != null ? packed.get(i) : strings[i];
    }

    public long getLong(int i) {
        Objects.checkIndex(i, length);
        // read in place, as get(i).asLong() would give: a vocabulary's 128k token types must not make 128k values
        return switch (elementType) {
            case UINT8 -> raw[i] & 0xFFL;
            case INT8 -> raw[i];
            case UINT16 -> le.getShort(2 * i) & 0xFFFFL;
            case INT16 -> le.getShort(2 * i);
            case UINT32 -> le.getInt(4 * i) & 0xFFFF_FFFFL;
            case INT32 -> le.getInt(4 * i);
            case INT64 -> le.getLong(8 * i);
            default -> get(i).asLong(); // UINT64 (which may not fit), and the errors of the other types
        };
    }

    public int getInt(int i) {
        long v = getLong(i);
        if (v != (int) v) {
            throw new IllegalArgumentException(elementType + " value " + v + " does not fit in an int");
        }
        return (int) v;
    }

    public float getFloat(int i) {
        return get(i).asFloat();
    }

    public double getDouble(int i) {
        return get(i).asDouble();
    }

    public boolean getBoolean(int i) {
        return get(i).asBoolean();
    }

    /** Every element as an int; throws naming the first that is not an integer fitting an int. */
    public int[] toIntArray() {
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = getIntAt(i);
        }
        return out;
    }

    private int getIntAt(int i) {
        try {
            return getInt(i);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("element " + i + ": " + e.getMessage());
        }
    }

    public long[] toLongArray() {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    public float[] toFloatArray() {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = getFloat(i);
        }
        return out;
    }

    /** The elements of a STRING array: a view, each element decoded when first read. */
    public List<String> strings() {
        if (elementType != GgufValueType.STRING) {
            throw new IllegalArgumentException("array of " + elementType + " has no string elements");
        }
        if (packed == null) {
            return Collections.unmodifiableList(Arrays.asList(strings)); // a view: a vocabulary is 128k strings
        }
        return new AbstractList<>() {
            @Override
            public String get(int i) {
                return getString(i);
            }

            @Override
            public int size() {
                return length;
            }
        };
    }

    /** The raw little-endian element bytes of a fixed-size array (not copied: callers must not modify). */
    byte[] rawBytes() {
        return raw;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GgufArray a) || a.elementType != elementType || a.length != length) {
            return false;
        }
        if (raw != null) {
            return Arrays.equals(a.raw, raw);
        }
        if (packed != null && a.packed != null) {
            return packed.sameAs(a.packed); // the same bytes: the same strings
        }
        return strings().equals(a.strings());
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + (raw != null ? Arrays.hashCode(raw) : strings().hashCode());
    }

    @Override
    public String toString() {
        return "ARRAY[" + elementType + "] of " + length;
    }
}
