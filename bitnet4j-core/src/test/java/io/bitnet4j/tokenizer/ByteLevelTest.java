package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GPT-2's byte↔unicode map: the published anchors and bijectivity. */
class ByteLevelTest {

    @Test
    void knownCharacters() {
        assertEquals('Ġ', ByteLevel.charOf(' '));
        assertEquals('Ċ', ByteLevel.charOf('\n'));
        assertEquals('ĉ', ByteLevel.charOf('\t'));
        assertEquals('Ā', ByteLevel.charOf(0));
        assertEquals('A', ByteLevel.charOf('A'));
        assertEquals('é', ByteLevel.charOf(0xE9), "Latin-1 letters stand for themselves");
        assertEquals('Ń', ByteLevel.charOf(0xAD), "soft hyphen is the last of the 68 remapped bytes: U+0100 + 67");
    }

    @Test
    void mapIsABijectionOnBytes() {
        Set<Character> seen = new HashSet<>();
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            char c = ByteLevel.charOf(b);
            assertEquals(b, ByteLevel.byteOf(c));
            seen.add(c);
            all[b] = (byte) b;
        }
        assertEquals(256, seen.size());
        assertArrayEquals(all, ByteLevel.decode(ByteLevel.encode(all)));
        assertEquals(-1, ByteLevel.byteOf('\u4e00'));
    }
}
