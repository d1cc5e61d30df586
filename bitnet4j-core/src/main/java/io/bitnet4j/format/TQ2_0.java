package io.bitnet4j.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * llama.cpp's TQ2_0 (ggml type 35): 2.0625 bits per weight, 66 bytes per block of 256 weights.
 *
 * <h2>Block layout</h2>
 * <pre>
 *   bytes 0..63   trits, as codes t + 1 (0 → −1, 1 → 0, 2 → +1) in 2-bit fields
 *   bytes 64..65  d, IEEE fp16, little-endian
 * </pre>
 * The 256 elements are split into two halves of 128; half {@code h} uses bytes {@code 32h .. 32h+31}.
 * Inside a half, element {@code 32·k + m} ({@code k} = 0..3, {@code m} = 0..31) sits in byte {@code 32h + m}
 * at bits {@code 2k, 2k+1}. So byte {@code 32h + m} carries elements {@code 128h + m}, {@code +32},
 * {@code +64} and {@code +96}, lowest bits first; a SIMD kernel can shift one 32-byte vector by 0, 2, 4, 6
 * and mask to get 32 consecutive elements each time. Code 3 never occurs; reading it is an error (llama.cpp
 * would decode it as +2).
 *
 * <p>Quantizing, the scale, dequantizing and the dot product are described in {@link TernaryBlockFormat}.
 */
public final class TQ2_0 extends TernaryBlockFormat {
    /** The one instance. */
    public static final TQ2_0 FORMAT = new TQ2_0();

    private static final int HALF = 128;
    private static final int RUN = 32;

    private TQ2_0() {
        super("TQ2_0", 35, 66);
    }

    @Override
    void encodeBlock(byte[] trits, int from, byte[] out, int at) {
        for (int e = 0; e < BLOCK_SIZE; e++) {
            out[at + byteOf(e)] |= (byte) ((trits[from + e] + 1) << shiftOf(e));
        }
    }

    @Override
    void decodeCodes(MemorySegment data, long at, byte[] codes, int to, long block) {
        // eight bytes at a time: shifting a long by 2k and masking each byte to 2 bits gives elements
        // 32k + m .. 32k + m + 7 of its half, in order, as one long of codes (this runs over every weight at load)
        for (int half = 0; half < BLOCK_SIZE / HALF; half++) {
            for (int m = 0; m < RUN; m += Long.BYTES) {
                long v = data.get(TwoBitCodes.LONG, at + half * RUN + m);
                if (TwoBitCodes.holdsCodeThree(v)) {
                    throw invalidCode(v, block, half * HALF + m);
                }
                for (int k = 0; k < 4; k++) {
                    TwoBitCodes.putField(codes, to + half * HALF + k * RUN + m, v, 2 * k);
                }
            }
        }
    }

    /** The error for the first field holding code 3 in the long {@code v} read for elements {@code first, first + 1, ...}. */
    private static IllegalArgumentException invalidCode(long v, long block, int first) {
        for (int i = 0; ; i++) {
            int code = (int) (v >>> (8 * (i / 4) + 2 * (i % 4))) & 3;
            if (code == 3) {
                int e = first + (i % 4) * RUN + i / 4;
                return new IllegalArgumentException("TQ2_0 block " + block + ", byte " + byteOf(e)
                        + " holds code 3 for element " + e + "; only 0, 1, 2 encode trits");
            }
        }
    }

    /** Byte of element {@code e} within a block. */
    private static int byteOf(int e) {
        return (e / HALF) * RUN + e % RUN;
    }

    /** Bit shift of element {@code e} within its byte. */
    private static int shiftOf(int e) {
        return 2 * ((e % HALF) / RUN);
    }
}
