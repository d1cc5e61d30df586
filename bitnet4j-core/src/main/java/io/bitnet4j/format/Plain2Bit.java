package io.bitnet4j.format;

/**
 * The plain 2-bit ternary layout: bitnet4j's own in-memory form of a trit tensor.
 *
 * <p>Element {@code i} of the flattened tensor lives in byte {@code i / 4}, bits {@code 2·(i % 4)} and
 * {@code 2·(i % 4) + 1} (low bits first), as the code {@code t + 1}: 0 for −1, 1 for 0, 2 for +1. Code 3
 * is never written and is rejected when read. A tensor of {@code n} trits takes {@code ceil(n / 4)}
 * bytes; unused bits of the last byte are zero. No scale is stored: the holder of the bytes keeps it.
 */
public final class Plain2Bit {
    private Plain2Bit() {}

    /** Bytes needed for {@code n} trits. */
    public static int packedBytes(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("trit count is " + n);
        }
        return (int) ((n + 3L) / 4);
    }

    /** Packs trits in {−1, 0, +1}; throws naming the first other value. */
    public static byte[] pack(byte[] trits) {
        byte[] out = new byte[packedBytes(trits.length)];
        for (int i = 0; i < trits.length; i++) {
            int t = trits[i];
            if (t < -1 || t > 1) {
                throw new IllegalArgumentException("trit " + i + " is " + t + "; must be -1, 0 or 1");
            }
            out[i >>> 2] |= (byte) ((t + 1) << ((i & 3) << 1));
        }
        return out;
    }

    /** Unpacks {@code n} trits; throws naming the first code 3 (not a trit). */
    public static byte[] unpack(byte[] packed, int n) {
        if (packed.length < packedBytes(n)) {
            throw new IllegalArgumentException(
                    "packed data has " + packed.length + " bytes; " + n + " trits need " + packedBytes(n));
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) get(packed, i);
        }
        return out;
    }

    /** Trit {@code i} of the packed data. */
    public static int get(byte[] packed, int i) {
        int code = (packed[i >>> 2] >>> ((i & 3) << 1)) & 3;
        if (code == 3) {
            throw new IllegalArgumentException("byte " + (i >>> 2) + " holds code 3 at trit " + i + "; not a ternary code");
        }
        return code - 1;
    }
}
