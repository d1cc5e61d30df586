package io.bitnet4j.format;

import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Checks;

/**
 * ggml's Q8_0 (type 8): blocks of 32 values, each an fp16 scale {@code d} (2 bytes, little-endian) followed
 * by 32 signed bytes {@code qs}; value {@code j} of a block means {@code qs[j] · d}. 8.5 bits per value.
 *
 * <h2>Quantizing (ggml's reference quantizer, bit for bit)</h2>
 * <ol>
 *   <li>{@code amax = max|x|} over the block, {@code d = amax / 127} and {@code id = 1/d} (0 when {@code d} is 0),
 *       all in float32.</li>
 *   <li>{@code qs[j] = roundf(x[j] · id)}, halves away from zero. The codes use the float32 {@code d}; the stored
 *       scale is {@code d} rounded to fp16 (nearest, ties to even).</li>
 *   <li>If {@code 1/d} overflows float32 ({@code amax} below about 3.7e−37) C's {@code roundf} of an infinity has no
 *       int8 value; we write 0 codes, and the fp16 scale is 0 anyway. A block whose scale would be an fp16
 *       infinity ({@code amax} ≥ 127 · 65520) is rejected.</li>
 * </ol>
 */
public final class Q8_0 {
    /** Values per block. */
    public static final int BLOCK_SIZE = 32;
    /** Bytes per block: the fp16 scale and 32 codes. */
    public static final int BLOCK_BYTES = 34;

    private static final String NAME = "Q8_0";

    private Q8_0() {}

    /** Bytes that {@code n} values take ({@code n} a positive multiple of 32). */
    public static int packedBytes(int n) {
        return FormatChecks.byteCount(NAME, n, (long) FormatChecks.blockCount(NAME, n, BLOCK_SIZE) * BLOCK_BYTES);
    }

    /** Quantizes finite floats (a multiple of 32) as in the class comment. */
    public static byte[] quantize(float[] x) {
        int blocks = FormatChecks.blockCount(NAME, x.length, BLOCK_SIZE);
        Checks.requireFinite(x, NAME + " input");
        byte[] out = new byte[packedBytes(x.length)];
        for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK_SIZE;
            float amax = 0f;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                amax = Math.max(amax, Math.abs(x[from + j]));
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            short dBits = Float.floatToFloat16(d);
            if (Float.isInfinite(Float.float16ToFloat(dBits))) {
                throw new IllegalArgumentException(NAME + ": block " + b + " has max|x| = " + amax
                        + "; its scale " + d + " is beyond the fp16 range (65504)");
            }
            int at = b * BLOCK_BYTES;
            LittleEndian.putShort(out, at, dBits);
            if (Float.isInfinite(id)) {
                continue; // codes stay 0 (class comment)
            }
            for (int j = 0; j < BLOCK_SIZE; j++) {
                out[at + 2 + j] = (byte) (int) Rounding.HALF_AWAY_FROM_ZERO.round(x[from + j] * id);
            }
        }
        return out;
    }

    /** {@code qs · d} per value in float32, as ggml's {@code dequantize_row_q8_0}. */
    public static float[] dequantize(byte[] data, int n) {
        int blocks = FormatChecks.requireBlockData(NAME, data, n, BLOCK_SIZE, BLOCK_BYTES);
        float[] out = new float[n];
        for (int b = 0; b < blocks; b++) {
            int at = b * BLOCK_BYTES;
            float d = Float.float16ToFloat(LittleEndian.getShort(data, at));
            for (int j = 0; j < BLOCK_SIZE; j++) {
                out[b * BLOCK_SIZE + j] = data[at + 2 + j] * d;
            }
        }
        return out;
    }
}
