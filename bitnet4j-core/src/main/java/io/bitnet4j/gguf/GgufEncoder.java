package io.bitnet4j.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Serialises GGUF header fields little-endian into a growing byte buffer (the header is small next to the weights). */
final class GgufEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    void bytes(byte[] b) {
        out.writeBytes(b);
    }

    void u32(long v) {
        bits(4, v);
    }

    void u64(long v) {
        bits(8, v);
    }

    /** The low {@code size} bytes of {@code bits}, little-endian. */
    void bits(int size, long bits) {
        scratch.clear();
        scratch.putLong(bits);
        out.write(scratch.array(), 0, size);
    }

    /** A u64 length and the UTF-8 bytes; throws naming {@code what} if {@code s} has an unpaired surrogate. */
    void string(String s, String what) {
        byte[] b = utf8(s, what);
        u64(b.length);
        out.writeBytes(b);
    }

    byte[] utf8(String s, String what) {
        try {
            ByteBuffer bb = utf8.encode(CharBuffer.wrap(s));
            byte[] b = new byte[bb.remaining()];
            bb.get(b);
            return b;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (an unpaired surrogate?), so it has no UTF-8 form");
        }
    }

    /** A value's type id(s) and its payload, as in a metadata key/value pair. */
    void value(GgufValue v, String what) {
        u32(v.type().id());
        switch (v) {
            case GgufValue.Scalar s -> bits(s.type().size(), s.bits());
            case GgufValue.Text t -> string(t.value(), what);
            case GgufArray a -> {
                u32(a.elementType().id());
                u64(a.length());
                if (a.elementType() == GgufValueType.STRING) {
                    for (int i = 0; i < a.length(); i++) {
                        string(a.getString(i), what + " element " + i);
                    }
                } else {
                    out.writeBytes(a.rawBytes());
                }
            }
        }
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
