package io.bitnet4j.convert;

import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Packed ternary bytes drawn at random without packing trits one by one, so that a model of billions of weights is
 * generated in seconds. Each code byte of a format holds a few trits; the bytes the format's encoder can produce at a
 * position are found once, by decoding every byte value there and encoding the result again. Drawing a byte uniformly
 * from those draws its trits independently and uniformly: a third of them zero, as in trained BitNet models.
 */
final class RandomTernaryBytes {
    /** For each code byte of a block (the scale excluded), the values it can hold. */
    private final byte[][] valid;
    private final int blockBytes;
    private final boolean blockScale;

    private RandomTernaryBytes(byte[][] valid, int blockBytes, boolean blockScale) {
        this.valid = valid;
        this.blockBytes = blockBytes;
        this.blockScale = blockScale;
    }

    static RandomTernaryBytes of(GgmlType type) {
        return switch (type) {
            case TQ1_0 -> forBlocks(TQ1_0.FORMAT);
            case TQ2_0 -> forBlocks(TQ2_0.FORMAT);
            case I2_S -> forI2s();
            default -> throw new IllegalArgumentException(type + " is not ternary");
        };
    }

    private static RandomTernaryBytes forBlocks(TernaryBlockFormat f) {
        int codes = f.scaleOffset();
        byte[][] valid = new byte[codes][];
        for (int p = 0; p < codes; p++) {
            List<Byte> ok = new ArrayList<>();
            for (int b = 0; b < 256; b++) {
                byte[] block = new byte[f.blockBytes()];
                block[p] = (byte) b;
                if (roundTrips(block, p, () -> f.pack(f.unpackTrits(block, TernaryBlockFormat.BLOCK_SIZE), new short[1]))) {
                    ok.add((byte) b);
                }
            }
            valid[p] = toArray(ok);
        }
        return new RandomTernaryBytes(valid, f.blockBytes(), true);
    }

    private static RandomTernaryBytes forI2s() {
        List<Byte> ok = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            byte[] tensor = new byte[I2_S.packedBytes(I2_S.BLOCK_SIZE)];
            tensor[0] = (byte) b;
            if (roundTrips(tensor, 0, () -> I2_S.pack(I2_S.unpackTrits(tensor, I2_S.BLOCK_SIZE), 1f))) {
                ok.add((byte) b);
            }
        }
        return new RandomTernaryBytes(new byte[][] {toArray(ok)}, 1, false);
    }

    /** Whether byte {@code p} of {@code data} decodes (no invalid code) and encodes back to itself. */
    private static boolean roundTrips(byte[] data, int p, java.util.function.Supplier<byte[]> decodeAndEncode) {
        try {
            return decodeAndEncode.get()[p] == data[p];
        } catch (IllegalArgumentException e) {
            return false; // a code that is not a trit (2-bit code 3)
        }
    }

    private static byte[] toArray(List<Byte> list) {
        byte[] out = new byte[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** The number of distinct values the code byte at {@code position} of a block can hold. */
    int choices(int position) {
        return valid[position].length;
    }

    /**
     * Fills {@code out[0 .. length)} (whole blocks for TQ types; whole code bytes for I2_S) with random codes, every
     * block scale set to the fp16 bits {@code scaleBits}.
     */
    void fill(byte[] out, int length, short scaleBits, SplittableRandom random) {
        long bits = 0;
        int left = 0;
        for (int at = 0; at < length; at += blockBytes) {
            for (int p = 0; p < valid.length; p++) {
                if (left == 0) {
                    bits = random.nextLong();
                    left = 4;
                }
                byte[] choices = valid[p];
                // 16 random bits scaled to the choice count: unbiased to within count / 65536
                out[at + p] = choices[(int) (((bits & 0xFFFF) * choices.length) >>> 16)];
                bits >>>= 16;
                left--;
            }
            if (blockScale) {
                out[at + valid.length] = (byte) scaleBits;
                out[at + valid.length + 1] = (byte) (scaleBits >> 8);
            }
        }
    }
}
