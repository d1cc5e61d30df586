package io.bitnet4j.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * bitnet.cpp's I2_S as its ARM builds write it: the same codes ({@code t + 1}), scale and 32-byte tail as
 * {@link I2_S}, but the codes packed in runs of 64 weights in 16 bytes where the x86 layout has runs of 128 in 32.
 *
 * <p>Since its kernels of November 2025, bitnet.cpp's {@code quantize_i2_s} picks the run length with the compiler's
 * target: 128 under x86's SIMD, 64 under ARM NEON; its matrix kernels read the layout they were compiled for. Its
 * Python converters and the models Microsoft publishes use the x86 layout, as does every I2_S file bitnet4j reads or
 * writes; nothing in a GGUF file says which layout it holds. This class moves codes between the two, for files made
 * by (or meant for) bitnet.cpp on ARM.
 *
 * <p><b>Packing.</b> Run {@code r} fills bytes {@code 16r .. 16r+15}; byte {@code 16r + g} holds, from the high bits
 * down, the codes of elements {@code 64r + g}, {@code 64r + 16 + g}, {@code 64r + 32 + g} and {@code 64r + 48 + g}.
 * Every 128 weights take 32 bytes in both layouts (one x86 run, two ARM runs), so converting is a permutation of the
 * 2-bit fields inside each 32-byte span, and a tensor's size, tail and scale do not change.
 */
public final class I2sArm {
    /** Weights per packed run on ARM ({@code QK_I2_S} under NEON). */
    public static final int BLOCK_SIZE = 64;
    /** Bytes per packed run on ARM. */
    public static final int BLOCK_BYTES = 16;
    /** Weights of one span: one x86 run or two ARM runs. Tensors to convert hold a multiple of it. */
    public static final int SPAN = I2_S.BLOCK_SIZE;

    private I2sArm() {}

    /**
     * Rewrites the codes of {@code n} weights ({@code n / 4} bytes from {@code from} in {@code src}) from the x86
     * layout into the ARM layout, into {@code dst} at {@code to}. {@code n} must be a multiple of {@link #SPAN}.
     */
    public static void fromX86(byte[] src, int from, byte[] dst, int to, long n) {
        relayout(src, from, dst, to, n, true);
    }

    /** The reverse of {@link #fromX86}: codes in the ARM layout into the x86 layout. */
    public static void toX86(byte[] src, int from, byte[] dst, int to, long n) {
        relayout(src, from, dst, to, n, false);
    }

    /**
     * One span of 32 bytes, {@code a} its first 16 and {@code b} its last 16, byte {@code j} of each paired. On x86,
     * byte {@code g} holds elements {@code g, 32+g, 64+g, 96+g} (fields from the high bits down); on ARM, byte {@code j}
     * holds {@code j, 16+j, 32+j, 48+j} and byte {@code 16+j} holds {@code 64+j, 80+j, 96+j, 112+j}. So ARM byte
     * {@code j} takes the high two fields of x86 bytes {@code j} and {@code 16+j}, interleaved, and ARM byte
     * {@code 16+j} their low two; and back. Every field stays inside its byte's lane, so eight pairs go at once in a
     * long (masks repeated per byte; shifts never carry a field across a byte).
     */
    private static void relayout(byte[] src, int from, byte[] dst, int to, long n, boolean toArm) {
        if (n < 0 || n % SPAN != 0) {
            throw new IllegalArgumentException("I2_S: " + n + " weights; converting between the x86 and ARM layouts needs a multiple of " + SPAN);
        }
        int bytes = Math.toIntExact(n / 4);
        Objects.checkFromIndexSize(from, bytes, src.length);
        Objects.checkFromIndexSize(to, bytes, dst.length);
        if (src == dst && from < to + bytes && to < from + bytes) {
            throw new IllegalArgumentException("I2_S relayout: the source and destination ranges overlap");
        }
        for (int span = 0; span < bytes; span += SPAN / 4) {
            for (int half = 0; half < 16; half += Long.BYTES) {
                long a = (long) LONG.get(src, from + span + half);
                long b = (long) LONG.get(src, from + span + 16 + half);
                long lo;
                long hi;
                if (toArm) { // fields (a0 b0 a1 b1) and (a2 b2 a3 b3)
                    lo = (a & F0) | (b & F0) >>> 2 | (a & F1) >>> 2 | (b & F1) >>> 4;
                    hi = (a & F2) << 4 | (b & F2) << 2 | (a & F3) << 2 | (b & F3);
                } else { // a = (x0 x1 x2 x3) of the low run, b of the high run: x86 (a0 a2 b0 b2) and (a1 a3 b1 b3)
                    lo = (a & F0) | (a & F2) << 2 | (b & F0) >>> 4 | (b & F2) >>> 2;
                    hi = (a & F1) << 2 | (a & F3) << 4 | (b & F1) >>> 2 | (b & F3);
                }
                LONG.set(dst, to + span + half, lo);
                LONG.set(dst, to + span + 16 + half, hi);
            }
        }
    }

    /** The four 2-bit fields of each byte, from the high bits down, in all eight bytes of a long. */
    private static final long F0 = 0xC0C0C0C0C0C0C0C0L;
    private static final long F1 = 0x3030303030303030L;
    private static final long F2 = 0x0C0C0C0C0C0C0C0CL;
    private static final long F3 = 0x0303030303030303L;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
