package io.bitnet4j.format;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;

/** Argument checks and scale bookkeeping shared by the packed formats; every failure names the format. */
final class FormatChecks {
    private FormatChecks() {}

    /** The number of {@code blockSize} blocks in {@code n} elements; throws unless {@code n} is a positive multiple. */
    static int blockCount(String format, int n, int blockSize) {
        if (n <= 0) {
            throw new IllegalArgumentException(format + ": element count is " + n + "; must be positive");
        }
        if (n % blockSize != 0) {
            throw new IllegalArgumentException(
                    format + ": element count " + n + " is not a multiple of the block size " + blockSize);
        }
        return n / blockSize;
    }

    /** {@code bytes} as an int; throws if a tensor that large cannot be held in one Java array. */
    static int byteCount(String format, int n, long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(format + ": " + n + " elements need " + bytes + " bytes, more than one array holds");
        }
        return (int) bytes;
    }

    /** Throws unless {@code data} is exactly {@code expected} bytes long. */
    static void requireBytes(String format, byte[] data, int expected, int n) {
        if (data.length != expected) {
            throw new IllegalArgumentException(
                    format + " data has " + data.length + " bytes; " + n + " elements need exactly " + expected);
        }
    }

    /**
     * The block count of {@code n} elements stored as {@code data}; throws unless {@code n} is a positive multiple
     * of {@code blockSize} and {@code data} holds exactly that many blocks of {@code blockBytes}.
     */
    static int requireBlockData(String format, byte[] data, int n, int blockSize, int blockBytes) {
        int blocks = blockCount(format, n, blockSize);
        requireBytes(format, data, byteCount(format, n, (long) blocks * blockBytes), n);
        return blocks;
    }

    /** Throws naming the first value of {@code trits} that is not −1, 0 or +1. */
    static void requireTrits(String format, byte[] trits) {
        for (int i = 0; i < trits.length; i++) {
            if (trits[i] < -1 || trits[i] > 1) {
                throw new IllegalArgumentException(format + ": trit " + i + " is " + trits[i] + "; must be -1, 0 or 1");
            }
        }
    }

    /**
     * The scales of {@code w} regrouped to {@code target} (one per target unit), for writing {@code w} in a
     * format whose granularity is {@code target}. Exact: throws if some target unit covers elements with
     * different scales, because the format could not represent that weight.
     */
    static float[] regroupScales(String format, TernaryWeight w, Granularity target) {
        Shape shape = w.shape();
        float[] out = new float[target.scaleCount(shape)];
        boolean[] seen = new boolean[out.length];
        for (int i = 0, n = shape.size(); i < n; i++) {
            int unit = target.scaleIndex(shape, i);
            float s = w.scaleOf(i);
            if (!seen[unit]) {
                out[unit] = s;
                seen[unit] = true;
            } else if (Float.floatToIntBits(out[unit]) != Float.floatToIntBits(s)) {
                throw new IllegalArgumentException(format + " stores one scale per " + describe(target)
                        + ", but the weight " + w + " has scales " + out[unit] + " and " + s + " inside unit " + unit
                        + " (at element " + i + ")");
            }
        }
        return out;
    }

    private static String describe(Granularity g) {
        return switch (g) {
            case Granularity.PerTensor p -> "tensor";
            case Granularity.PerRow r -> "row";
            case Granularity.PerGroup gr -> "group of " + gr.size() + " along the row";
            case Granularity.PerBlock b -> "block of " + b.size() + " elements";
        };
    }
}
