package io.bitnet4j.format;

/**
 * ggml's Q6_K (type 14), read only: super-blocks of 256 values in 210 bytes, 6.5625 bits per value. llama-quantize
 * picks it for the output head of most quantized models, TQ1_0/TQ2_0 ones included.
 *
 * <h2>Super-block layout</h2>
 * <pre>
 *   bytes 0..127    ql[128]: the low 4 bits of each code
 *   bytes 128..191  qh[64]:  the high 2 bits of each code
 *   bytes 192..207  scales[16]: signed 8-bit sub-block scales, one per 16 values
 *   bytes 208..209  d, fp16 little-endian
 * </pre>
 * Value {@code i} means {@code (d · scales[i/16]) · (q − 32)} with a 6-bit code {@code q}. The 256 values are two
 * halves of 128; in half {@code h}, with {@code ql} starting at {@code 64h}, {@code qh} at {@code 32h}, and
 * {@code l} in 0..31, the four values {@code 128h + l + 32k} (k = 0..3) take their low nibble from
 * {@code ql[l]} (k = 0: low, k = 2: high) or {@code ql[l + 32]} (k = 1: low, k = 3: high), and their high two bits
 * from bits {@code 2k..2k+1} of {@code qh[l]}.
 */
public final class Q6_K {
    /** Values per super-block. */
    public static final int BLOCK_SIZE = 256;
    /** Bytes per super-block. */
    public static final int BLOCK_BYTES = 210;

    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;

    private Q6_K() {}

    /** {@code d · scale · (q − 32)} per value in float32, as ggml's {@code dequantize_row_q6_K}. */
    public static float[] dequantize(byte[] data, int n) {
        int blocks = FormatChecks.requireBlockData("Q6_K", data, n, BLOCK_SIZE, BLOCK_BYTES);
        float[] out = new float[n];
        for (int b = 0; b < blocks; b++) {
            int at = b * BLOCK_BYTES;
            float d = Float.float16ToFloat(LittleEndian.getShort(data, at + D));
            for (int i = 0; i < BLOCK_SIZE; i++) {
                int half = i / 128;
                int k = (i % 128) / 32;
                int l = i % 32;
                int low = data[at + 64 * half + l + 32 * (k % 2)] & 0xFF;
                int nibble = k < 2 ? low & 0x0F : low >>> 4;
                int high = ((data[at + QH + 32 * half + l] & 0xFF) >>> (2 * k)) & 3;
                int q = (nibble | (high << 4)) - 32;
                out[b * BLOCK_SIZE + i] = d * data[at + SCALES + i / 16] * q;
            }
        }
        return out;
    }
}
