package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Metadata values and the typed accessors: widening within a kind, refusing across kinds. */
class GgufValueTest {

    @Test
    void integersKeepTheirSignednessAndRange() {
        assertEquals(255, GgufValue.u8(255).asLong());
        assertEquals(-128, GgufValue.i8(-128).asLong());
        assertEquals(0xFF, GgufValue.i8(-1).bits(), "raw bits are the file's bytes, zero-extended");
        assertEquals(65535, GgufValue.u16(65535).asInt());
        assertEquals(-32768, GgufValue.i16(-32768).asInt());
        assertEquals(4294967295L, GgufValue.u32(4294967295L).asLong());
        assertEquals(Integer.MIN_VALUE, GgufValue.i32(Integer.MIN_VALUE).asInt());
        assertEquals(Long.MIN_VALUE, GgufValue.i64(Long.MIN_VALUE).asLong());
        assertEquals(Long.MAX_VALUE, GgufValue.u64(Long.MAX_VALUE).asLong());
        assertEquals("18446744073709551615", GgufValue.u64(-1).toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgufValue.u64(-1).asLong()).getMessage().contains("does not fit"));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.u8(256));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.i8(128));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.u32(-1));
        assertThrows(IllegalArgumentException.class, () -> GgufValue.u16(-1));
        assertThrows(IllegalArgumentException.class, () -> new GgufValue.Scalar(GgufValueType.UINT8, 0x100));
        assertThrows(IllegalArgumentException.class, () -> new GgufValue.Scalar(GgufValueType.BOOL, 2));
        assertThrows(IllegalArgumentException.class, () -> new GgufValue.Scalar(GgufValueType.STRING, 0));
    }

    @Test
    void floatsAreExactToTheBit() {
        float nanWithPayload = Float.intBitsToFloat(0x7FC0_1234);
        assertEquals(0x7FC0_1234L, GgufValue.f32(nanWithPayload).bits());
        assertEquals(1e-5f, GgufValue.f32(1e-5f).asFloat());
        assertEquals(0.1, GgufValue.f64(0.1).asDouble());
        assertEquals(500000f, GgufValue.f64(500000).asFloat());
        assertThrows(IllegalArgumentException.class, () -> GgufValue.u32(1).asFloat());
        assertThrows(IllegalArgumentException.class, () -> GgufValue.f32(1).asLong());
        assertTrue(GgufValue.bool(true).asBoolean());
        assertThrows(IllegalArgumentException.class, () -> GgufValue.u8(1).asBoolean());
    }

    @Test
    void arraysAreTypedAndCompareByContent() {
        GgufArray ints = GgufArray.ofIntegers(GgufValueType.UINT16, 0, 1, 65535);
        assertEquals(3, ints.length());
        assertEquals(65535, ints.getInt(2));
        assertArrayEquals(new long[] {0, 1, 65535}, ints.toLongArray());
        assertEquals(ints, GgufArray.ofIntegers(GgufValueType.UINT16, 0, 1, 65535));
        assertNotEquals(ints, GgufArray.ofIntegers(GgufValueType.INT16, 0, 1, -1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgufArray.ofIntegers(GgufValueType.INT8, 1, 200))
                .getMessage().startsWith("element 1"));

        GgufArray strings = GgufArray.ofStrings("a", "▁b", "");
        assertEquals(List.of("a", "▁b", ""), strings.strings());
        assertEquals(GgufValueType.STRING, strings.elementType());
        assertThrows(IllegalArgumentException.class, () -> strings.getLong(0));
        assertThrows(IllegalArgumentException.class, () -> ints.getString(0));
        assertThrows(IndexOutOfBoundsException.class, () -> strings.getString(3));

        assertArrayEquals(new float[] {1.5f, -2f}, GgufArray.ofFloat32(1.5f, -2f).toFloatArray());
        assertEquals(0.25, GgufArray.ofFloat64(0.25).getDouble(0));
        assertFalse(GgufArray.ofBooleans(true, false).getBoolean(1));
        assertArrayEquals(new int[] {-7, 8}, GgufArray.ofInt32(-7, 8).toIntArray());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgufArray.ofIntegers(GgufValueType.UINT32, 4294967295L).toIntArray())
                .getMessage().contains("element 0"));
        assertThrows(IllegalArgumentException.class, () -> new GgufArray(GgufValueType.ARRAY, new byte[0], null));
        assertThrows(IllegalArgumentException.class, () -> new GgufArray(GgufValueType.BOOL, new byte[] {0, 2}, null));
    }

    @Test
    void metadataGettersWidenWithinAKindAndNameTheKey() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("name", GgufValue.string("tiny"));
        m.put("layers", GgufValue.u32(5));
        m.put("unset_id", GgufValue.u32(4294967295L));
        m.put("eps", GgufValue.f32(1e-5f));
        m.put("theta", GgufValue.f64(10000));
        m.put("add_bos", GgufValue.bool(true));
        m.put("small", GgufValue.i8(-3));
        m.put("tokens", GgufArray.ofStrings("a", "b"));
        GgufMetadata md = new GgufMetadata(m);

        assertEquals(List.copyOf(m.keySet()), List.copyOf(md.keys()), "file order is kept");
        assertEquals("tiny", md.getString("name"));
        assertEquals(5, md.getInt("layers"));
        assertEquals(5L, md.getLong("layers"));
        assertEquals(-3, md.getInt("small"));
        assertEquals(4294967295L, md.getLong("unset_id"), "a u32 -1 marker is tolerated as its unsigned value");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> md.getInt("unset_id"));
        assertTrue(e.getMessage().contains("'unset_id'") && e.getMessage().contains("does not fit in an int"), e.getMessage());
        assertEquals(1e-5f, md.getFloat("eps"));
        assertEquals(10000f, md.getFloat("theta"));
        assertTrue(md.getBool("add_bos"));
        assertEquals(2, md.getArray("tokens").length());

        assertEquals(7, md.getInt("missing", 7));
        assertEquals("x", md.getString("missing", "x"));
        assertEquals(Optional.empty(), md.findArray("missing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> md.getInt("missing")).getMessage().contains("'missing' is missing"));
        e = assertThrows(IllegalArgumentException.class, () -> md.getInt("name", 3));
        assertTrue(e.getMessage().contains("'name'") && e.getMessage().contains("STRING"), "a default never hides a wrong type: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> md.getString("layers"));
        assertThrows(IllegalArgumentException.class, () -> md.getFloat("layers"));
        assertThrows(IllegalArgumentException.class, () -> md.getArray("name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> md.getLong("tokens")).getMessage().contains("ARRAY[STRING]"));
    }

    /**
     * An integer array's elements read in place ({@link GgufArray#getLong}, {@link GgufArray#getInt}) against the
     * element as a scalar value ({@code get(i).asLong()}, {@code asInt()}), for every integer type and values at and
     * around its limits, errors included.
     */
    @Test
    void integerElementsReadInPlaceAsTheirScalarValues() {
        java.util.Random random = new java.util.Random(31);
        for (GgufValueType type : GgufValueType.values()) {
            if (!type.isInteger()) {
                continue;
            }
            int bits = 8 * type.size();
            long[] values = new long[64];
            for (int i = 0; i < values.length; i++) {
                long raw = random.nextLong() >>> (64 - bits); // any bit pattern of the type's width
                values[i] = switch (i % 4) {
                    case 0 -> raw;
                    case 1 -> raw & 0xFF;
                    case 2 -> -1L >>> (64 - bits); // all ones
                    default -> 1L << (bits - 1); // only the top bit
                };
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * type.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                switch (type.size()) {
                    case 1 -> b.put((byte) v);
                    case 2 -> b.putShort((short) v);
                    case 4 -> b.putInt((int) v);
                    default -> b.putLong(v);
                }
            }
            GgufArray a = new GgufArray(type, b.array(), null);
            for (int i = 0; i < values.length; i++) {
                int at = i;
                assertOutcome(() -> a.get(at).asLong(), () -> a.getLong(at), type + " element " + i);
                assertOutcome(() -> (long) a.get(at).asInt(), () -> (long) a.getInt(at), type + " element " + i);
            }
        }
    }

    /** Both give the same value, or both throw with the same message. */
    private static void assertOutcome(java.util.function.LongSupplier expected, java.util.function.LongSupplier actual, String what) {
        String want;
        try {
            want = Long.toString(expected.getAsLong());
        } catch (IllegalArgumentException e) {
            want = "throws " + e.getMessage();
        }
        String got;
        try {
            got = Long.toString(actual.getAsLong());
        } catch (IllegalArgumentException e) {
            got = "throws " + e.getMessage();
        }
        assertEquals(want, got, what);
    }
}
