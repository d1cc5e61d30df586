package io.bitnet4j.format;

/**
 * ggml's Q4_K (type 12), read only: super-blocks of 256 values in 144 bytes, 4.5 bits per value. llama-quantize
 * picks it for the token embedding of TQ1_0/TQ2_0 models unless told otherwise.
 *
 * <h2>Super-block layout</h2>
 * <pre>
 *   bytes 0..1     d     fp16, little-endian: the scale of the sub-block scales
 *   bytes 2..3     dmin  fp16: the scale of the sub-block minimums
 *   bytes 4..15    scales[12]: eight 6-bit scales sc and eight 6-bit minimums m, packed as below
 *   bytes 16..143  qs[128]: 4-bit codes
 * </pre>
 * The 256 values form eight sub-blocks of 32. Sub-block {@code s} means {@code value = d·sc[s] · q − dmin·m[s]}
 * (each product rounded to float32 first, as ggml computes it), with codes {@code q} in 0..15: sub-blocks
 * {@code 2k} and {@code 2k+1} share the 32 bytes {@code qs[32k .. 32k+31]}, the first in their low nibbles and the
 * second in their high nibbles.
 *
 * <p><b>The 6-bit packing.</b> For sub-blocks 0–3, {@code sc[s]} is the low 6 bits of {@code scales[s]} and
 * {@code m[s]} the low 6 bits of {@code scales[s+4]}. For sub-blocks 4–7, the low 4 bits come from
 * {@code scales[s+4]} (sc in its low nibble, m in its high nibble) and the top 2 bits are the spare top bits of
 * {@code scales[s−4]} (for sc) and {@code scales[s]} (for m).
 */
public final class Q4_K {
    /** Values per super-block. */
    public static final int BLOCK_SIZE = 256;
    /** Bytes per super-block. */
    public static final int BLOCK_BYTES = 144;

    private static final int SCALES = 4;
    private static final int QS = 16;

    private Q4_K() {}

    /** The 6-bit scale of sub-block {@code s} (0..7) of the super-block at {@code data[at..]}. */
    public static int subScale(byte[] data, int at, int s) {
        int base = at + SCALES;
        if (s < 4) {
            return data[base + s] & 63;
        }
        return (data[base + s + 4] & 0x0F) | (((data[base + s - 4] & 0xFF) >>> 6) << 4);
    }

    /** The 6-bit minimum of sub-block {@code s} (0..7) of the super-block at {@code data[at..]}. */
    public static int subMin(byte[] data, int at, int s) {
        int base = at + SCALES;
        if (s < 4) {
            return data[base + s + 4] & 63;
        }
        return ((data[base + s + 4] & 0xFF) >>> 4) | (((data[base + s] & 0xFF) >>> 6) << 4);
    }

    /** {@code d·sc · q − dmin·m} per value in float32, as ggml's {@code dequantize_row_q4_K}. */
    public static float[] dequantize(byte[] data, int n) {
        int blocks = FormatChecks.requireBlockData("Q4_K", data, n, BLOCK_SIZE, BLOCK_BYTES);
        float[] out = new float[n];
        for (int b = 0; b < blocks; b++) {
            int at = b * BLOCK_BYTES;
            float d = Float.float16ToFloat(LittleEndian.getShort(data, at));
            float dmin = Float.float16ToFloat(LittleEndian.getShort(data, at + 2));
            for (int s = 0; s < 8; s++) {
                float scale = d * subScale(data, at, s);
                float min = dmin * subMin(data, at, s);
                int codes = at + QS + 32 * (s / 2);
                int shift = 4 * (s % 2);
                int to = b * BLOCK_SIZE + 32 * s;
                for (int l = 0; l < 32; l++) {
                    int q = ((data[codes + l] & 0xFF) >>> shift) & 0x0F;
                    out[to + l] = scale * q - min;
                }
            }
        }
        return out;
    }
}
