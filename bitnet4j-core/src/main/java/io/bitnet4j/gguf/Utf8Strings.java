package io.bitnet4j.gguf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of a GGUF string array as the file holds them: one copy of the array's bytes (each string's u64 length,
 * then its UTF-8), decoded one string at a time when asked for and kept. A 2B model's LLaMA 3 vocabulary is 408k
 * strings (128k tokens, 280k merge rules); decoding them all made the metadata's read on the main thread 0.1 s of a
 * cold load, and the tokenizer needs its merge rules' text only when a piece must be merged. The whole array was
 * checked for strict UTF-8 when it was read ({@link #firstInvalid}).
 */
final class Utf8Strings {
    /** The array's bytes from its first string's length field to its last string's end. */
    private final byte[] region;
    /** Where string {@code i}'s UTF-8 starts in {@link #region} (after its length field). */
    private final int[] starts;
    /** The strings decoded so far (a race only decodes one twice: a String is immutable). */
    private final String[] decoded;

    /** Takes ownership of both arrays; {@code starts} must name valid strings of {@code region}. */
    Utf8Strings(byte[] region, int[] starts) {
        this.region = region;
        this.starts = starts;
        this.decoded = new String[starts.length];
    }

    int size() {
        return starts.length;
    }

    String get(int i) {
        String s = decoded[i];
        if (s == null) {
            s = new String(region, starts[i], end(region, starts, i) - starts[i], StandardCharsets.UTF_8);
            decoded[i] = s;
        }
        return s;
    }

    /** Where string {@code i} ends: at the next one's length field, or at the region's end. */
    private static int end(byte[] region, int[] starts, int i) {
        return i + 1 < starts.length ? starts[i + 1] - 8 : region.length;
    }

    /** Whether the strings are the same as {@code other}'s, byte for byte. */
    boolean sameAs(Utf8Strings other) {
        return Arrays.equals(region, other.region) && Arrays.equals(starts, other.starts);
    }

    /**
     * The first of the strings of {@code region} (string {@code i} from {@code starts[i]} to the next one's length field)
     * that is not strict UTF-8 (a malformed or truncated sequence, an overlong form, an encoded surrogate, a code point
     * above U+10FFFF), or -1 if all are: what the JDK's reporting decoder accepts, one plain loop over the bytes instead
     * of a decoder per string.
     */
    static int firstInvalid(byte[] region, int[] starts) {
        for (int i = 0; i < starts.length; i++) {
            if (!valid(region, starts[i], end(region, starts, i))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code b[from .. to)} is strict UTF-8. */
    static boolean valid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            int n; // continuation bytes
            int lo = 0x80;
            int hi = 0xBF; // the second byte's range, narrowed where a lead byte allows overlongs or surrogates
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) {
                    lo = 0xA0; // below: an overlong form
                } else if (c == 0xED) {
                    hi = 0x9F; // above: a surrogate
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) {
                    lo = 0x90; // below: an overlong form
                } else if (c == 0xF4) {
                    hi = 0x8F; // above: beyond U+10FFFF
                }
            } else {
                return false; // a continuation byte, an overlong lead (C0, C1) or F5..FF
            }
            if (i + n >= to) {
                return false; // truncated: the sequence's last byte would be at i + n
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }
}
