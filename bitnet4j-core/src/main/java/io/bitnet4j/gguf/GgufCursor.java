package io.bitnet4j.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked little-endian reader over a file's bytes. Every read first checks that the bytes are
 * there and every length is checked against what remains <em>before</em> anything is allocated, so a
 * corrupt count can only produce a {@link GgufFormatException} naming the field and its byte offset,
 * never an OutOfMemoryError or an index exception.
 */
final class GgufCursor {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The largest Java array we are willing to make (a little under the VM limit). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    /** How many bytes {@link #string} copies from the file at a time. */
    private static final int WINDOW = 1 << 20;

    private final MemorySegment bytes;
    private final long size;
    /**
     * A copy of the file's bytes {@code [windowStart, windowEnd)} that strings are read from: strings each copied out of
     * the mapped file on their own spent more time in the copy's checks than in the bytes, and each went through a byte
     * array of its own before its String. (String arrays, such as a vocabulary, are read whole: {@link Utf8Strings}.)
     */
    private byte[] window = new byte[0];
    private long windowStart;
    private long windowEnd;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private long pos;

    GgufCursor(MemorySegment bytes) {
        this.bytes = bytes;
        this.size = bytes.byteSize();
    }

    long position() {
        return pos;
    }

    long remaining() {
        return size - pos;
    }

    long fileSize() {
        return size;
    }

    /** Throws unless {@code n} more bytes are there. */
    void require(long n, String what) throws GgufFormatException {
        if (n > remaining()) {
            throw new GgufFormatException("truncated: " + what + " at byte " + pos + " needs " + n
                    + " bytes but the file ends at byte " + size);
        }
    }

    int u8(String what) throws GgufFormatException {
        require(1, what);
        return bytes.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    int u16(String what) throws GgufFormatException {
        require(2, what);
        int v = bytes.get(U16, pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    /** An unsigned 32-bit value. */
    long u32(String what) throws GgufFormatException {
        require(4, what);
        long v = bytes.get(U32, pos) & 0xFFFF_FFFFL;
        pos += 4;
        return v;
    }

    /** A 64-bit value, raw (callers decide whether it is signed). */
    long u64(String what) throws GgufFormatException {
        require(8, what);
        long v = bytes.get(U64, pos);
        pos += 8;
        return v;
    }

    /** The raw bits of a fixed-size value of {@code size} bytes, zero-extended. */
    long bits(int size, String what) throws GgufFormatException {
        return switch (size) {
            case 1 -> u8(what);
            case 2 -> u16(what);
            case 4 -> u32(what);
            default -> u64(what);
        };
    }

    /** A copy of the file's bytes {@code [at, at + n)}, which the caller has read past (so the file holds them). */
    byte[] copy(long at, int n) {
        byte[] out = new byte[n];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, out, 0, n);
        return out;
    }

    /** {@code n} raw bytes; {@code n} must already be checked to be at most {@link #MAX_ARRAY}. */
    byte[] bytes(int n, String what) throws GgufFormatException {
        require(n, what);
        byte[] out = new byte[n];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, pos, out, 0, n);
        pos += n;
        return out;
    }

    /**
     * A GGUF string: a u64 byte length, then strict UTF-8 (malformed input, overlong forms and encoded
     * surrogates are errors, so the decoded string re-encodes to exactly the same bytes).
     */
    String string(String what) throws GgufFormatException {
        return string(what, -1);
    }

    /**
     * {@link #string} for element {@code index} of the array {@code what}: its name ("… element 17") is made only for
     * an error, not for each of a vocabulary's 100,000 strings.
     */
    String string(String what, int index) throws GgufFormatException {
        long at = pos;
        if (remaining() < 8) {
            require(8, name(what, index) + " length");
        }
        int o = windowed(pos, 8);
        long len = 0;
        for (int i = 7; i >= 0; i--) {
            len = len << 8 | (window[o + i] & 0xFF); // little-endian
        }
        pos += 8;
        if (len < 0 || len > remaining()) {
            throw exceeds(name(what, index) + " length", len, at);
        }
        if (len > MAX_ARRAY) {
            throw new GgufFormatException(name(what, index) + " length " + len + " at byte " + at + " is too long to hold in memory");
        }
        int n = (int) len;
        o = windowed(pos, n); // cannot fail: the length was checked against what is left
        pos += n;
        // the JDK's own decoding, much faster than a CharsetDecoder, replaces each malformed sequence (overlong forms
        // and encoded surrogates included) with U+FFFD; a string without one was valid (an ASCII or Latin-1 string
        // cannot hold one: no scan), one with one is decoded again strictly, which throws unless the U+FFFD was really
        // there
        String fast = new String(window, o, n, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        try {
            return utf8.decode(ByteBuffer.wrap(window, o, n)).toString();
        } catch (CharacterCodingException e) {
            throw new GgufFormatException(name(what, index) + " at byte " + at + " is not valid UTF-8", e);
        }
    }

    /**
     * Steps over element {@code index} of the string array {@code what}, checking its length as {@link #string} does,
     * and returns where its bytes start.
     */
    long skipString(String what, int index) throws GgufFormatException {
        long at = pos;
        if (remaining() < 8) {
            require(8, name(what, index) + " length");
        }
        long len = bytes.get(U64, pos);
        pos += 8;
        if (len < 0 || len > remaining()) {
            throw exceeds(name(what, index) + " length", len, at);
        }
        long start = pos;
        pos += len;
        return start;
    }

    /**
     * The offset in {@link #window} of the file's bytes {@code [at, at + n)}, copied there first unless they already
     * are; the caller has checked that the file holds them.
     */
    private int windowed(long at, int n) {
        if (at < windowStart || at + n > windowEnd) {
            int length = (int) Math.min(Math.max(n, WINDOW), size - at);
            if (window.length < length) {
                window = new byte[length];
            }
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, window, 0, length);
            windowStart = at;
            windowEnd = at + length;
        }
        return (int) (at - windowStart);
    }

    private static String name(String what, int index) {
        return index < 0 ? what : what + " element " + index;
    }

    /** The error for a count or length read at {@code at} that the rest of the file cannot hold. */
    GgufFormatException exceeds(String what, long value, long at) {
        return new GgufFormatException(what + " " + Long.toUnsignedString(value) + " at byte " + at + " exceeds what the "
                + remaining() + " bytes left in the file can hold (truncated or corrupt file)");
    }
}
