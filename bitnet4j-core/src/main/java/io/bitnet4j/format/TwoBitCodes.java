package io.bitnet4j.format;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Four 2-bit codes per byte read eight bytes at a time, as TQ2_0 and I2_S decoding do over every weight at load: one
 * test per {@code long} for a field holding 3 (no ternary format uses it), and one shift and mask to put the same
 * field of all eight bytes in place as eight codes.
 */
final class TwoBitCodes {
    /** Eight packed bytes at once. */
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Eight codes, one per byte, stored at once into a byte array. */
    private static final VarHandle CODES8 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The low bit of every 2-bit field of a long. */
    private static final long LOW_BITS = 0x5555_5555_5555_5555L;
    /** The low field of every byte of a long. */
    private static final long LOW_FIELDS = 0x0303_0303_0303_0303L;

    private TwoBitCodes() {}

    /** Whether a field of {@code v} holds code 3 (both of its bits set). */
    static boolean holdsCodeThree(long v) {
        return (v & v >>> 1 & LOW_BITS) != 0;
    }

    /** Puts the field at bit {@code shift} of each byte of {@code v} into {@code codes[at .. at+8)}, in byte order. */
    static void putField(byte[] codes, int at, long v, int shift) {
        CODES8.set(codes, at, v >>> shift & LOW_FIELDS);
    }
}
