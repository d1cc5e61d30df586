package io.bitnet4j.kernel;

/**
 * bfloat16, the upper half of a float32: conversions as ggml does them (round to nearest, ties to even;
 * a NaN stays a quiet NaN).
 */
public final class Bfloat16 {
    private Bfloat16() {}

    /** The float32 value of the bfloat16 bits {@code bits} (exact). */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** {@code f} rounded to bfloat16 bits, ties to even. */
    public static short fromFloat(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((u >>> 16) | 0x40); // keep a NaN a (quiet) NaN
        }
        return (short) ((u + (0x7FFF + ((u >>> 16) & 1))) >>> 16);
    }

    /** {@code f} rounded to the nearest bfloat16 value, as a float. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }
}
