package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small valid GGUF file written with {@link GgufWriter}, and helpers to find and patch its fields by
 * their text (every key and tensor name is unique in the header, so a field's position follows from
 * where its name is).
 */
final class TinyGguf {
    private TinyGguf() {}

    /** Tensors: F32 {4, 2} (32 bytes), Q8_0 {32, 1} (34 bytes, padded to 64), F16 {8} (16 bytes). */
    static final String WA = "tensor.wa";
    static final String QB = "tensor.qb";
    static final String WC = "tensor.wc";

    static byte[] bytes(Path dir) throws IOException {
        Path p = dir.resolve("tiny.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("general.architecture", GgufValue.string("tiny"));
            w.put("general.alignment", GgufValue.u32(32));
            w.put("k.aaa", GgufValue.u32(7));
            w.put("k.bbb", GgufValue.bool(true));
            w.put("t.tokens", GgufArray.ofStrings("a", "bé", "c"));
            w.put("t.scores", GgufArray.ofFloat32(1f, 2f, 3f));
            w.addTensor(WA, GgmlType.F32, 4, 2);
            w.addTensor(QB, GgmlType.Q8_0, 32, 1);
            w.addTensor(WC, GgmlType.F16, 8);
            w.writeTensor(WA, filled(32, 1));
            w.writeTensor(QB, filled(34, 2));
            w.writeTensor(WC, filled(16, 3));
            w.finish();
        }
        return Files.readAllBytes(p);
    }

    static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    /** The offset of the only occurrence of {@code text} in {@code b}. */
    static int find(byte[] b, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int found = -1;
        for (int i = 0; i + t.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + t.length, t, 0, t.length)) {
                assertEquals(-1, found, "'" + text + "' occurs twice");
                found = i;
            }
        }
        assertEquals(true, found >= 0, "'" + text + "' not found");
        return found;
    }

    /** Where a key's value starts: after its name and the u32 type. */
    static int valueOf(byte[] b, String key) {
        return find(b, key) + key.length() + 4;
    }

    /** Where a tensor's n_dims field is: right after its name. */
    static int tensorInfo(byte[] b, String name) {
        return find(b, name) + name.length();
    }

    static byte[] putU32(byte[] b, int at, long v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) v);
        return c;
    }

    static byte[] putU64(byte[] b, int at, long v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
        return c;
    }

    static byte[] putText(byte[] b, int at, String ascii) {
        byte[] c = b.clone();
        byte[] t = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, c, at, t.length);
        return c;
    }
}
