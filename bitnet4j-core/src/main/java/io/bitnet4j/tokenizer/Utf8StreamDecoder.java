package io.bitnet4j.tokenizer;

import java.util.Objects;

/**
 * Turns a stream of token pieces into text without ever splitting a character: bytes of an incomplete
 * UTF-8 sequence are held until the sequence completes, so each returned chunk is whole characters
 * (a supplementary character's two UTF-16 chars always come out together).
 *
 * <p>Invalid input becomes U+FFFD as soon as it is proven invalid (a byte that cannot start a sequence,
 * or a byte that cannot continue the pending one), one replacement per maximal invalid subpart as the
 * Unicode standard recommends (and browsers and Python do). That is also what {@code new String(bytes, UTF_8)}
 * gives for the whole stream, except for encoded surrogates ({@code ED A0..BF xx}), which Java replaces
 * with a single U+FFFD and we with one per byte. A sequence still incomplete at the end becomes U+FFFD on
 * {@link #flush()}. Not thread-safe: one decoder per stream.
 */
public final class Utf8StreamDecoder {
    private static final char REPLACEMENT = '\uFFFD';

    private final int[] pending = new int[4];
    private int pendingLength;
    private int expectedLength;

    /** The complete characters that {@code bytes} finishes, holding back an incomplete tail. */
    public String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** As {@link #decode(byte[])} for {@code bytes[offset, offset+length)}. */
    public String decode(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        StringBuilder out = new StringBuilder(length);
        for (int i = offset; i < offset + length; i++) {
            accept(bytes[i] & 0xFF, out);
        }
        return out.toString();
    }

    /** Ends the stream: U+FFFD if a sequence was left incomplete, else the empty string. Resets the decoder. */
    public String flush() {
        boolean incomplete = pendingLength > 0;
        pendingLength = 0;
        return incomplete ? String.valueOf(REPLACEMENT) : "";
    }

    /** Whether bytes of an incomplete character are being held. */
    public boolean hasPending() {
        return pendingLength > 0;
    }

    private void accept(int b, StringBuilder out) {
        if (pendingLength == 0) {
            start(b, out);
        } else if (continues(b)) {
            pending[pendingLength++] = b;
            if (pendingLength == expectedLength) {
                out.appendCodePoint(codePoint());
                pendingLength = 0;
            }
        } else {
            out.append(REPLACEMENT);
            pendingLength = 0;
            start(b, out);
        }
    }

    private void start(int b, StringBuilder out) {
        if (b < 0x80) {
            out.append((char) b);
            return;
        }
        // C0, C1 (overlong) and F5..FF (beyond U+10FFFF) never start a sequence; nor does a lone continuation byte.
        expectedLength = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        if (expectedLength == 0) {
            out.append(REPLACEMENT);
        } else {
            pending[0] = b;
            pendingLength = 1;
        }
    }

    /** Whether {@code b} can follow the pending bytes: a continuation byte, narrowed after E0, ED, F0, F4. */
    private boolean continues(int b) {
        int lo = 0x80;
        int hi = 0xBF;
        if (pendingLength == 1) {
            switch (pending[0]) {
                case 0xE0 -> lo = 0xA0; // no overlong 3-byte forms
                case 0xED -> hi = 0x9F; // no UTF-16 surrogates
                case 0xF0 -> lo = 0x90; // no overlong 4-byte forms
                case 0xF4 -> hi = 0x8F; // nothing above U+10FFFF
                default -> { }
            }
        }
        return b >= lo && b <= hi;
    }

    private int codePoint() {
        int cp = pending[0] & (0x7F >> expectedLength);
        for (int i = 1; i < expectedLength; i++) {
            cp = (cp << 6) | (pending[i] & 0x3F);
        }
        return cp;
    }
}
