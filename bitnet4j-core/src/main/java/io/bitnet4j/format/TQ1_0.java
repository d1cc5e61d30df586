package io.bitnet4j.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * llama.cpp's TQ1_0 (ggml type 34): 1.6875 bits per weight, 54 bytes per block of 256 weights, five (or
 * four) trits per byte in base 3.
 *
 * <h2>Block layout</h2>
 * <pre>
 *   bytes 0..31   qs: elements m, m+32, m+64, m+96, m+128 in byte m       (m = 0..31; elements 0..159)
 *   bytes 32..47  qs: elements 160+m, +16, +32, +48, +64 in byte 32+m    (m = 0..15; elements 160..239)
 *   bytes 48..51  qh: elements 240+j, +4, +8, +12 in byte 48+j            (j = 0..3;  elements 240..255)
 *   bytes 52..53  d, IEEE fp16, little-endian
 * </pre>
 * <b>Digits.</b> Each element becomes the digit {@code t + 1} ∈ {0, 1, 2}. A byte's digits, listed in the order
 * above, form a base-3 number with the first digit most significant: {@code q = ((((c0·3 + c1)·3 + c2)·3 + c3)·3 + c4)},
 * 0 ≤ q ≤ 242. A qh byte has only four digits and a fifth digit 0 appended ({@code q·3}).
 *
 * <p><b>Scaling.</b> The byte stored is not {@code q} but {@code ceil(q · 256 / 243)}: the base-3 number as a
 * fraction of 3<sup>5</sup>, rescaled to 0..255. This turns digit extraction into byte arithmetic: digit
 * {@code k} (0 = most significant) of a stored byte {@code b} is {@code ((b · 3^k mod 256) · 3) >> 8}; multiplying
 * by {@code 3^k} modulo 256 drops the leading {@code k} digits, and {@code ·3 >> 8} reads the next one. Every
 * byte value decodes to valid digits, so reading never fails on the trits; bytes that are not of the
 * {@code ceil} form (never written by llama.cpp) simply decode to some trits. The fifth digit of a qh byte
 * is ignored.
 *
 * <p>Quantizing, the scale, dequantizing and the dot product are described in {@link TernaryBlockFormat}.
 */
public final class TQ1_0 extends TernaryBlockFormat {
    /** The one instance. */
    public static final TQ1_0 FORMAT = new TQ1_0();

    private static final int[] POW3 = {1, 3, 9, 27, 81};
    /** One run of packed bytes: where it starts in the block, its first element, stride between digits, digits used. */
    private record Run(int byteStart, int bytes, int firstElement, int stride, int digits) {}

    private static final Run[] RUNS = {
        new Run(0, 32, 0, 32, 5),
        new Run(32, 16, 160, 16, 5),
        new Run(48, 4, 240, 4, 4),
    };

    private TQ1_0() {
        super("TQ1_0", 34, 54);
    }

    @Override
    void encodeBlock(byte[] trits, int from, byte[] out, int at) {
        for (Run run : RUNS) {
            for (int m = 0; m < run.bytes(); m++) {
                int q = 0;
                for (int k = 0; k < 5; k++) {
                    int digit = k < run.digits() ? trits[from + run.firstElement() + m + k * run.stride()] + 1 : 0;
                    q = q * 3 + digit;
                }
                out[at + run.byteStart() + m] = (byte) ((q * 256 + 242) / 243); // ceil(q·256/243)
            }
        }
    }

    /** Digit {@code k} (0 = most significant) of stored byte {@code b} (0..255): {@code ((b·3^k mod 256)·3) >> 8}. */
    public static int digit(int b, int k) {
        return (((b * POW3[k]) & 0xFF) * 3) >>> 8;
    }

    @Override
    void decodeCodes(MemorySegment data, long at, byte[] codes, int to, long block) {
        for (Run run : RUNS) {
            for (int m = 0; m < run.bytes(); m++) {
                int b = data.get(ValueLayout.JAVA_BYTE, at + run.byteStart() + m) & 0xFF;
                for (int k = 0; k < run.digits(); k++) {
                    codes[to + run.firstElement() + m + k * run.stride()] = (byte) digit(b, k);
                }
            }
        }
    }
}
