package io.bitnet4j.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Token pieces shown to people: text where it is valid UTF-8, escapes for control characters and raw bytes. */
final class PieceText {
    private PieceText() {}

    static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * The piece as one line: valid UTF-8 as text with {@code \n}, {@code \t}, {@code \r}, {@code \'},
     * {@code \\} and other controls escaped; a piece that is not valid UTF-8 as {@code \xNN} per byte.
     */
    static String escaped(byte[] piece) {
        StringBuilder b = new StringBuilder();
        if (!isValidUtf8(piece)) {
            for (byte x : piece) {
                b.append(String.format("\\x%02x", x & 0xFF));
            }
            return b.toString();
        }
        String s = new String(piece, StandardCharsets.UTF_8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\'' -> b.append("\\'");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
