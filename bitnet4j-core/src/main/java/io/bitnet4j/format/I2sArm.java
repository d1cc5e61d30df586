package io.bitnet4j.format;

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
        relayout(src, from, dst, to, n, I2_S.BLOCK_BYTES, BLOCK_BYTES);
    }

    /** The reverse of {@link #fromX86}: codes in the ARM layout into the x86 layout. */
    public static void toX86(byte[] src, int from, byte[] dst, int to, long n) {
        relayout(src, from, dst, to, n, BLOCK_BYTES, I2_S.BLOCK_BYTES);
    }

    /**
     * Both layouts put element {@code e} of a run of {@code 4·g} weights ({@code g} bytes) in byte {@code e mod g} of
     * the run, at bits {@code 7−2k, 6−2k} for {@code k = e / g}; only {@code g} differs (32 on x86, 16 on ARM).
     */
    private static void relayout(byte[] src, int from, byte[] dst, int to, long n, int fromGroup, int toGroup) {
        if (n < 0 || n % SPAN != 0) {
            throw new IllegalArgumentException("I2_S: " + n + " weights; converting between the x86 and ARM layouts needs a multiple of " + SPAN);
        }
        int bytes = Math.toIntExact(n / 4);
        java.util.Objects.checkFromIndexSize(from, bytes, src.length);
        java.util.Objects.checkFromIndexSize(to, bytes, dst.length);
        if (src == dst && from < to + bytes && to < from + bytes) {
            throw new IllegalArgumentException("I2_S relayout: the source and destination ranges overlap");
        }
        int spanBytes = SPAN / 4;
        for (int span = 0; span < bytes; span += spanBytes) {
            for (int i = 0; i < spanBytes; i++) {
                dst[to + span + i] = 0;
            }
            for (int e = 0; e < SPAN; e++) {
                int code = src[from + span + byteOf(e, fromGroup)] >>> shiftOf(e, fromGroup) & 3;
                dst[to + span + byteOf(e, toGroup)] |= (byte) (code << shiftOf(e, toGroup));
            }
        }
    }

    /** The byte, within its span, of element {@code e} of the span, for runs of {@code group} bytes. */
    private static int byteOf(int e, int group) {
        int run = 4 * group;
        return (e / run) * group + e % group;
    }

    private static int shiftOf(int e, int group) {
        return 6 - 2 * ((e % (4 * group)) / group);
    }
}
