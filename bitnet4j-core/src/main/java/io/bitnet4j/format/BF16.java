package io.bitnet4j.format;

/**
 * bfloat16 as ggml stores it (type BF16, id 30): the top 16 bits of a float32, two little-endian bytes per value.
 *
 * <p>{@link #encode} rounds to nearest with ties to even on the dropped 16 bits, as ggml's
 * {@code ggml_compute_fp32_to_bf16}: values beyond the bfloat16 range round to infinities, subnormals are
 * kept, and a NaN stays a NaN with its quiet bit set (so a signalling NaN never turns into an infinity by
 * losing its low payload bits). Decoding is exact: every bfloat16 value is a float32.
 */
public final class BF16 {
    /** Bytes per value. */
    public static final int BYTES = 2;

    private static final int QUIET_BIT = 0x0040;

    private BF16() {}

    /** The bfloat16 bits of {@code f}, rounded to nearest even (see the class comment). */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | QUIET_BIT);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** The float32 value of bfloat16 bits {@code h}. */
    public static float toFloat(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }

    /** {@code n} values from {@code data} (exactly {@code 2n} bytes). */
    public static float[] decode(byte[] data, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("BF16: element count is " + n);
        }
        FormatChecks.requireBytes("BF16", data, FormatChecks.byteCount("BF16", n, 2L * n), n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = toFloat(LittleEndian.getShort(data, 2 * i));
        }
        return out;
    }

    /** The values as bfloat16, two bytes each. */
    public static byte[] encode(float[] x) {
        byte[] out = new byte[FormatChecks.byteCount("BF16", x.length, 2L * x.length)];
        for (int i = 0; i < x.length; i++) {
            LittleEndian.putShort(out, 2 * i, fromFloat(x[i]));
        }
        return out;
    }
}
