package io.bitnet4j.format;

/**
 * ggml's Q4_0 (type 2), read only: blocks of 32 values, each an fp16 scale {@code d} (2 bytes, little-endian)
 * followed by 16 bytes of 4-bit codes. Element {@code j} (0 ≤ j &lt; 16) is the low nibble of byte {@code j},
 * element {@code j + 16} its high nibble, and a code {@code q} means {@code (q − 8) · d}. 4.5 bits per value.
 */
public final class Q4_0 {
    /** Values per block. */
    public static final int BLOCK_SIZE = 32;
    /** Bytes per block: the fp16 scale and 16 bytes of nibbles. */
    public static final int BLOCK_BYTES = 18;

    private Q4_0() {}

    /** {@code (q − 8) · d} per value in float32, as ggml's {@code dequantize_row_q4_0}. */
    public static float[] dequantize(byte[] data, int n) {
        int blocks = FormatChecks.requireBlockData("Q4_0", data, n, BLOCK_SIZE, BLOCK_BYTES);
        float[] out = new float[n];
        for (int b = 0; b < blocks; b++) {
            int at = b * BLOCK_BYTES;
            float d = Float.float16ToFloat(LittleEndian.getShort(data, at));
            int to = b * BLOCK_SIZE;
            for (int j = 0; j < BLOCK_SIZE / 2; j++) {
                int q = data[at + 2 + j] & 0xFF;
                out[to + j] = ((q & 0x0F) - 8) * d;
                out[to + j + BLOCK_SIZE / 2] = ((q >>> 4) - 8) * d;
            }
        }
        return out;
    }
}
