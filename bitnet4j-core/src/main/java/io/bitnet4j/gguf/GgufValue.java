package io.bitnet4j.gguf;

import java.util.Objects;

/**
 * One GGUF metadata value: a {@link Scalar} number or bool, a {@link Text} string, or a {@link GgufArray}.
 * Values compare by type and exact content, so metadata read back from a written file equals the original.
 *
 * <p>The static factories build values for {@link GgufWriter#put}; each checks its range, so a value
 * that cannot be stored in its type is caught where it is made.
 */
public sealed interface GgufValue permits GgufValue.Scalar, GgufValue.Text, GgufArray {

    /** The GGUF type of this value (ARRAY for arrays). */
    GgufValueType type();

    static Scalar u8(int v) {
        return Scalar.ofInteger(GgufValueType.UINT8, v);
    }

    static Scalar i8(int v) {
        return Scalar.ofInteger(GgufValueType.INT8, v);
    }

    static Scalar u16(int v) {
        return Scalar.ofInteger(GgufValueType.UINT16, v);
    }

    static Scalar i16(int v) {
        return Scalar.ofInteger(GgufValueType.INT16, v);
    }

    static Scalar u32(long v) {
        return Scalar.ofInteger(GgufValueType.UINT32, v);
    }

    static Scalar i32(int v) {
        return Scalar.ofInteger(GgufValueType.INT32, v);
    }

    /** A UINT64 whose 64 bits are {@code v} read as unsigned (so -1 stores 2^64 - 1). */
    static Scalar u64(long v) {
        return Scalar.ofInteger(GgufValueType.UINT64, v);
    }

    static Scalar i64(long v) {
        return Scalar.ofInteger(GgufValueType.INT64, v);
    }

    static Scalar f32(float v) {
        return new Scalar(GgufValueType.FLOAT32, Integer.toUnsignedLong(Float.floatToRawIntBits(v)));
    }

    static Scalar f64(double v) {
        return new Scalar(GgufValueType.FLOAT64, Double.doubleToRawLongBits(v));
    }

    static Scalar bool(boolean v) {
        return new Scalar(GgufValueType.BOOL, v ? 1 : 0);
    }

    static Text string(String v) {
        return new Text(v);
    }

    /**
     * A fixed-size value (any type but STRING and ARRAY) held as its raw little-endian bits, zero-extended
     * to 64: exact for every type, NaN payloads included.
     */
    record Scalar(GgufValueType type, long bits) implements GgufValue {
        public Scalar {
            Objects.requireNonNull(type, "type");
            if (!type.isFixedSize()) {
                throw new IllegalArgumentException(type + " is not a scalar type");
            }
            if (type.size() < 8 && (bits >>> (8 * type.size())) != 0) {
                throw new IllegalArgumentException("bits 0x" + Long.toHexString(bits) + " do not fit in a " + type);
            }
            if (type == GgufValueType.BOOL && bits > 1) {
                throw new IllegalArgumentException("a BOOL must be 0 or 1, not " + bits);
            }
        }

        /** The integer {@code value} as a {@code type} value; throws if it is outside the type's range. */
        public static Scalar ofInteger(GgufValueType type, long value) {
            if (!type.isInteger()) {
                throw new IllegalArgumentException(type + " is not an integer type");
            }
            int bitsWide = 8 * type.size();
            if (bitsWide < 64) {
                long min = type.isSignedInteger() ? -(1L << (bitsWide - 1)) : 0;
                long max = type.isSignedInteger() ? (1L << (bitsWide - 1)) - 1 : (1L << bitsWide) - 1;
                if (value < min || value > max) {
                    throw new IllegalArgumentException(value + " is out of range for " + type + " (" + min + ".." + max + ")");
                }
                return new Scalar(type, value & ((1L << bitsWide) - 1));
            }
            return new Scalar(type, value);
        }

        /**
         * The value of an integer type as a {@code long}, sign- or zero-extended by its type. Throws for
         * non-integer types and for a UINT64 of 2^63 or more.
         */
        public long asLong() {
            return switch (type) {
                case UINT8, UINT16, UINT32 -> bits;
                case INT8 -> (byte) bits;
                case INT16 -> (short) bits;
                case INT32 -> (int) bits;
                case INT64 -> bits;
                case UINT64 -> {
                    if (bits < 0) {
                        throw new IllegalArgumentException("UINT64 value " + Long.toUnsignedString(bits) + " does not fit in a long");
                    }
                    yield bits;
                }
                default -> throw new IllegalArgumentException("value is a " + type + ", not an integer");
            };
        }

        /** The value of an integer type as an {@code int}; throws if it does not fit (e.g. UINT32 4294967295). */
        public int asInt() {
            long v = asLong();
            if (v != (int) v) {
                throw new IllegalArgumentException(type + " value " + v + " does not fit in an int");
            }
            return (int) v;
        }

        /** The value of FLOAT32 or FLOAT64 as a double (exact); throws for other types. */
        public double asDouble() {
            return switch (type) {
                case FLOAT32 -> Float.intBitsToFloat((int) bits);
                case FLOAT64 -> Double.longBitsToDouble(bits);
                default -> throw new IllegalArgumentException("value is a " + type + ", not a float");
            };
        }

        /** The value of FLOAT32 as a float, or of FLOAT64 rounded to float; throws for other types. */
        public float asFloat() {
            return type == GgufValueType.FLOAT32 ? Float.intBitsToFloat((int) bits) : (float) asDouble();
        }

        /** The value of a BOOL; throws for other types. */
        public boolean asBoolean() {
            if (type != GgufValueType.BOOL) {
                throw new IllegalArgumentException("value is a " + type + ", not a BOOL");
            }
            return bits != 0;
        }

        /** The value in plain decimal (unsigned types as unsigned), {@code true}/{@code false} for BOOL. */
        @Override
        public String toString() {
            return switch (type) {
                case BOOL -> Boolean.toString(bits != 0);
                case FLOAT32 -> Float.toString(asFloat());
                case FLOAT64 -> Double.toString(asDouble());
                case UINT64 -> Long.toUnsignedString(bits);
                default -> Long.toString(asLong());
            };
        }
    }

    /** A STRING value. Any Java string is allowed here; the writer rejects unpaired surrogates, which UTF-8 cannot hold. */
    record Text(String value) implements GgufValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
