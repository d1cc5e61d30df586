package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Byte-at-a-time and random-chunk decoding against Java's whole-stream UTF-8 decoding. */
class Utf8StreamDecoderTest {
    private static final String MIXED = "héllo 日本語 \uD83E\uDD99\uD83D\uDE00 ok ∑ \uD800\uDC00 end";

    @Test
    void byteAtATimeReproducesTheTextAndNeverSplitsACharacter() {
        byte[] bytes = MIXED.getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            String chunk = d.decode(new byte[] {b});
            LlamaBpeTokenizerTest.assertWholeCharacters(chunk);
            assertTrue(chunk.codePointCount(0, chunk.length()) <= 1, "one byte completes at most one character");
            out.append(chunk);
        }
        assertFalse(d.hasPending());
        assertEquals("", d.flush());
        assertEquals(MIXED, out.toString());
    }

    @Test
    void heldBytesAreReleasedOnlyWhenTheCharacterCompletes() {
        byte[] emoji = "\uD83E\uDD99".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        assertEquals("", d.decode(emoji, 0, 3));
        assertTrue(d.hasPending());
        assertEquals("\uD83E\uDD99", d.decode(emoji, 3, 1));
    }

    @Test
    void randomChunksOfRandomBytesMatchWholeStreamDecoding() {
        SplittableRandom rnd = new SplittableRandom(11);
        byte[] valid = MIXED.getBytes(StandardCharsets.UTF_8);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bytes = new byte[rnd.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly pieces of valid text, with corruption: stray continuations, truncations, invalid leads
                bytes[i] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : valid[rnd.nextInt(valid.length)];
                if (i > 0 && bytes[i - 1] == (byte) 0xED && (bytes[i] & 0xE0) == 0xA0) {
                    bytes[i] = (byte) 0x80; // no encoded surrogates: Java replaces those differently (see the class doc)
                }
            }
            Utf8StreamDecoder d = new Utf8StreamDecoder();
            StringBuilder out = new StringBuilder();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + rnd.nextInt(5));
                String chunk = d.decode(bytes, at, n);
                if (!chunk.isEmpty()) {
                    assertFalse(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)));
                }
                out.append(chunk);
                at += n;
            }
            out.append(d.flush());
            assertEquals(new String(bytes, StandardCharsets.UTF_8), out.toString(), "trial " + trial);
        }
    }

    @Test
    void anIncompleteTailBecomesOneReplacementOnFlush() {
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        assertEquals("a", d.decode(new byte[] {'a', (byte) 0xE6, (byte) 0x97}));
        assertEquals("\uFFFD", d.flush());
        assertEquals("", d.flush());
    }

    @Test
    void provenInvalidBytesAreReplacedAtOnce() {
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        assertEquals("\uFFFD", d.decode(new byte[] {(byte) 0x80}), "a lone continuation byte");
        assertEquals("\uFFFD", d.decode(new byte[] {(byte) 0xC0}), "an overlong lead");
        assertEquals("", d.decode(new byte[] {(byte) 0xED}));
        assertEquals("\uFFFD\uFFFD", d.decode(new byte[] {(byte) 0xA0}), "ED A0 would be a surrogate: both replaced");
        assertEquals("\uFFFD\uFFFDa", d.decode(new byte[] {(byte) 0xF0, (byte) 0x8F, 'a'}), "F0 8F would be overlong");
        assertEquals("\uFFFDa", d.decode(new byte[] {(byte) 0xE6, (byte) 0x97, 'a'}), "a truncated sequence: one replacement");
    }
}
