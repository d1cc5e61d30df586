package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed string arrays against the JDK's reporting UTF-8 decoder and against arrays of decoded strings. */
class Utf8StringsTest {
    private static boolean jdkAccepts(byte[] b, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Random short byte strings, mostly of the bytes around UTF-8's boundaries (leads, continuations, limits). */
    @Test
    void theValidityCheckAgreesWithTheJdkDecoder() {
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
            0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        Random random = new Random(21);
        int valid = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] b = new byte[random.nextInt(7)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : interesting[random.nextInt(interesting.length)]);
            }
            boolean expected = jdkAccepts(b, 0, b.length);
            valid += expected ? 1 : 0;
            assertEquals(expected, Utf8Strings.valid(b, 0, b.length), () -> java.util.HexFormat.ofDelimiter(" ").formatHex(b));
        }
        assertNotEquals(0, valid, "some of the random strings must be valid");
    }

    /** A region as a GGUF file lays out a string array: each string's u64 length, then its bytes. */
    private static Utf8Strings pack(List<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] starts = new int[strings.size()];
        for (int i = 0; i < strings.size(); i++) {
            byte[] utf8 = strings.get(i).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(utf8.length).array());
            starts[i] = out.size();
            out.writeBytes(utf8);
        }
        byte[] region = out.toByteArray();
        assertEquals(-1, Utf8Strings.firstInvalid(region, starts));
        return new Utf8Strings(region, starts);
    }

    @Test
    void packedArraysReadAndCompareAsTheirStrings() {
        List<String> strings = new ArrayList<>(List.of("", "a", "é", "Ġthe", "日本", "😀x", ""));
        GgufArray packed = new GgufArray(pack(strings));
        GgufArray plain = GgufArray.ofStrings(strings);
        assertEquals(strings, packed.strings());
        for (int i = 0; i < strings.size(); i++) {
            assertEquals(strings.get(i), packed.getString(i));
        }
        assertEquals(plain, packed);
        assertEquals(packed, plain);
        assertEquals(plain.hashCode(), packed.hashCode());
        assertEquals(packed, new GgufArray(pack(strings)));
        strings.set(3, "Ġthem");
        assertNotEquals(packed, new GgufArray(pack(strings)));
        assertNotEquals(packed, GgufArray.ofStrings(strings));
    }

    @Test
    void theFirstInvalidStringIsNamed() {
        byte[] region = {1, 0, 0, 0, 0, 0, 0, 0, 'a', 2, 0, 0, 0, 0, 0, 0, 0, (byte) 0xC3, (byte) 0xA9, 1, 0, 0, 0, 0, 0, 0, 0,
            (byte) 0xC3};
        assertEquals(2, Utf8Strings.firstInvalid(region, new int[] {8, 17, 27}));
        assertEquals(-1, Utf8Strings.firstInvalid(java.util.Arrays.copyOf(region, 19), new int[] {8, 17}));
    }
}
