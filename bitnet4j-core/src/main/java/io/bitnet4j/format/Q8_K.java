package io.bitnet4j.format;

import io.bitnet4j.tensor.Checks;
import java.util.Arrays;

/**
 * llama.cpp's Q8_K: the int8 form activations take before a dot product with {@link TQ1_0} or {@link TQ2_0}
 * weights on the CPU. 292 bytes per block of 256 values.
 *
 * <h2>Block layout</h2>
 * <pre>
 *   bytes 0..3      d, IEEE float32, little-endian
 *   bytes 4..259    qs[256], signed 8-bit
 *   bytes 260..291  bsums[16], signed 16-bit little-endian: bsums[g] = Σ qs[16g .. 16g+15]
 * </pre>
 * Value {@code j} of a block means {@code d · qs[j]}.
 *
 * <h2>Quantizing (llama.cpp's reference quantizer, bit for bit)</h2>
 * <ol>
 *   <li>{@code m} = the value of largest magnitude in the block, keeping its sign (the first one on ties).</li>
 *   <li>{@code iscale = −127 / m} in float32, and {@code qs[j] = min(127, rint(iscale · x[j]))} with halves rounded
 *       to even. The sign flip is deliberate upstream: the extreme value lands on −127, so {@code d} is negative
 *       when {@code m > 0}.</li>
 *   <li>{@code d = 1 / iscale} in float32.</li>
 *   <li>An all-zero block stores {@code d = 0}, {@code qs = 0} and (our choice, upstream leaves them unwritten)
 *       {@code bsums = 0}.</li>
 * </ol>
 */
public final class Q8_K {
    /** Values per block. */
    public static final int BLOCK_SIZE = 256;
    /** Bytes per block. */
    public static final int BLOCK_BYTES = 292;
    /** Offset of {@code qs} inside a block ({@code d} is at 0). */
    public static final int QS_OFFSET = 4;
    /** Offset of {@code bsums} inside a block. */
    public static final int BSUMS_OFFSET = 260;
    /** Values summed per {@code bsums} entry. */
    public static final int BSUM_GROUP = 16;

    private Q8_K() {}

    /** Blocks in {@code n} values; throws unless {@code n} is a positive multiple of 256. */
    public static int blockCount(int n) {
        return FormatChecks.blockCount("Q8_K", n, BLOCK_SIZE);
    }

    /** Bytes that {@code n} values take. */
    public static int packedBytes(int n) {
        return FormatChecks.byteCount("Q8_K", n, (long) blockCount(n) * BLOCK_BYTES);
    }

    /** Quantizes finite floats (a multiple of 256), as in the class comment. */
    public static byte[] quantize(float[] x) {
        int blocks = blockCount(x.length);
        Checks.requireFinite(x, "Q8_K input");
        byte[] out = new byte[packedBytes(x.length)];
        for (int b = 0; b < blocks; b++) {
            int at = b * BLOCK_BYTES;
            float d = quantizeBlock(x, b * BLOCK_SIZE, out, at + QS_OFFSET);
            for (int g = 0; g < BLOCK_SIZE / BSUM_GROUP; g++) {
                int sum = 0;
                for (int j = 0; j < BSUM_GROUP; j++) {
                    sum += out[at + QS_OFFSET + g * BSUM_GROUP + j];
                }
                LittleEndian.putShort(out, at + BSUMS_OFFSET + 2 * g, (short) sum);
            }
            LittleEndian.putFloat(out, at, d);
        }
        return out;
    }

    /**
     * Quantizes the 256 values {@code x[from..from+255]} into {@code qs[qsOffset..qsOffset+255]} and returns
     * the block scale {@code d} (steps 1 to 4 of the class comment; an all-zero block gives {@code d = 0} and
     * zeros). The building block of {@link #quantize}, for callers that keep {@code qs} and {@code d} apart,
     * as the inference kernels do. The values are not checked: NaN or infinite input gives garbage, not an error.
     */
    public static float quantizeBlock(float[] x, int from, byte[] qs, int qsOffset) {
        float max = 0f;
        float amax = 0f;
        for (int j = 0; j < BLOCK_SIZE; j++) {
            float ax = Math.abs(x[from + j]);
            if (ax > amax) {
                amax = ax;
                max = x[from + j];
            }
        }
        if (amax == 0f) {
            Arrays.fill(qs, qsOffset, qsOffset + BLOCK_SIZE, (byte) 0);
            return 0f;
        }
        float iscale = -127f / max;
        for (int j = 0; j < BLOCK_SIZE; j++) {
            qs[qsOffset + j] = (byte) Math.min(127, (int) Math.rint(iscale * x[from + j]));
        }
        return 1f / iscale;
    }

    /** {@code d · qs} per value in float32. */
    public static float[] dequantize(byte[] data, int n) {
        int blocks = blockCount(n);
        FormatChecks.requireBytes("Q8_K", data, blocks * BLOCK_BYTES, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = scale(data, i / BLOCK_SIZE) * value(data, i / BLOCK_SIZE, i % BLOCK_SIZE);
        }
        return out;
    }

    /** The scale {@code d} of block {@code block}. */
    public static float scale(byte[] data, int block) {
        return LittleEndian.getFloat(data, requireBlock(data, block));
    }

    /** {@code qs[j]} of block {@code block}. */
    public static int value(byte[] data, int block, int j) {
        Checks.requireInRange(j, 0, BLOCK_SIZE - 1, "Q8_K value index");
        return data[requireBlock(data, block) + QS_OFFSET + j];
    }

    /** {@code bsums[g]} of block {@code block}: the sum of values {@code 16g .. 16g+15}. */
    public static int bsum(byte[] data, int block, int g) {
        Checks.requireInRange(g, 0, BLOCK_SIZE / BSUM_GROUP - 1, "Q8_K bsums index");
        return LittleEndian.getShort(data, requireBlock(data, block) + BSUMS_OFFSET + 2 * g);
    }

    private static int requireBlock(byte[] data, int block) {
        if (block < 0 || ((long) block + 1) * BLOCK_BYTES > data.length) {
            throw new IllegalArgumentException(
                    "Q8_K block " + block + " is not inside the " + data.length + " bytes given (" + BLOCK_BYTES + " per block)");
        }
        return block * BLOCK_BYTES;
    }
}
