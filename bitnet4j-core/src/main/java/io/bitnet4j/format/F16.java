package io.bitnet4j.format;

/**
 * IEEE 754 half precision as ggml stores it (type F16): two little-endian bytes per value.
 *
 * <p>{@link #encode} rounds to nearest with ties to even ({@link Float#floatToFloat16}, as ggml's
 * {@code GGML_FP32_TO_FP16}). It is a pure conversion: magnitudes from 65520 up become infinities and NaN
 * stays NaN. Callers that must not store either check their input first (the GGUF codec does).
 */
public final class F16 {
    /** Bytes per value. */
    public static final int BYTES = 2;
    /** The largest finite half-precision value. */
    public static final float MAX = 65504f;
    /** The smallest magnitude that rounds to infinity: halfway between {@link #MAX} and 65536. */
    public static final float OVERFLOW_THRESHOLD = 65520f;

    private F16() {}

    /** {@code n} values from {@code data} (exactly {@code 2n} bytes). */
    public static float[] decode(byte[] data, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("F16: element count is " + n);
        }
        FormatChecks.requireBytes("F16", data, FormatChecks.byteCount("F16", n, 2L * n), n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = Float.float16ToFloat(LittleEndian.getShort(data, 2 * i));
        }
        return out;
    }

    /** The values rounded to half precision, two bytes each. */
    public static byte[] encode(float[] x) {
        byte[] out = new byte[FormatChecks.byteCount("F16", x.length, 2L * x.length)];
        for (int i = 0; i < x.length; i++) {
            LittleEndian.putShort(out, 2 * i, Float.floatToFloat16(x[i]));
        }
        return out;
    }
}
