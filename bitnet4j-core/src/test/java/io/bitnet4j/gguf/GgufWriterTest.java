package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's layout, its round trip through the reader, and its all-or-nothing file replacement. */
class GgufWriterTest {
    @TempDir
    Path dir;

    private static Map<String, GgufValue> everyValueType() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("llama"));
        m.put("s.u8", GgufValue.u8(200));
        m.put("s.i8", GgufValue.i8(-100));
        m.put("s.u16", GgufValue.u16(60000));
        m.put("s.i16", GgufValue.i16(-30000));
        m.put("s.u32", GgufValue.u32(4294967295L));
        m.put("s.i32", GgufValue.i32(-2));
        m.put("s.f32", GgufValue.f32(Float.intBitsToFloat(0x7FC0_0001)));
        m.put("s.bool", GgufValue.bool(false));
        m.put("s.string", GgufValue.string("ünïcødé ▁ 🙂 and a NUL \0 inside"));
        m.put("s.u64", GgufValue.u64(-1));
        m.put("s.i64", GgufValue.i64(Long.MIN_VALUE));
        m.put("s.f64", GgufValue.f64(-0.0));
        m.put("a.u8", GgufArray.ofIntegers(GgufValueType.UINT8, 0, 255));
        m.put("a.i8", GgufArray.ofIntegers(GgufValueType.INT8, -128, 127));
        m.put("a.u16", GgufArray.ofIntegers(GgufValueType.UINT16, 65535));
        m.put("a.i16", GgufArray.ofIntegers(GgufValueType.INT16, -1, 1));
        m.put("a.u32", GgufArray.ofIntegers(GgufValueType.UINT32, 4294967295L, 0));
        m.put("a.i32", GgufArray.ofInt32(1, -1, Integer.MAX_VALUE));
        m.put("a.f32", GgufArray.ofFloat32(0.5f, Float.NEGATIVE_INFINITY));
        m.put("a.bool", GgufArray.ofBooleans(true, false, true));
        m.put("a.string", GgufArray.ofStrings("", "a b", "<0x0A>"));
        m.put("a.u64", GgufArray.ofIntegers(GgufValueType.UINT64, -1, 7));
        m.put("a.i64", GgufArray.ofIntegers(GgufValueType.INT64, Long.MAX_VALUE));
        m.put("a.f64", GgufArray.ofFloat64(1e300));
        m.put("a.empty", GgufArray.ofStrings());
        return m;
    }

    @Test
    void everyValueTypeAndTensorRoundTrips() throws IOException {
        Path p = dir.resolve("all.gguf");
        SplittableRandom random = new SplittableRandom(7);
        byte[] f32 = bytes(random, 3 * 8 * 4);
        byte[] q8 = bytes(random, 2 * 34);
        byte[] i2s = bytes(random, 256 * 4 / 4 + 32);
        byte[] tq2 = bytes(random, 66);
        Map<String, GgufValue> meta = everyValueType();
        try (GgufWriter w = GgufWriter.create(p); Arena arena = Arena.ofConfined()) {
            meta.forEach(w::put);
            w.addTensor("w.f32", GgmlType.F32, Shape.of(3, 8)); // outer-first [3, 8] -> ggml {8, 3}
            w.addTensor("w.q8", GgmlType.Q8_0, 32, 2);
            w.addTensor("w.i2s", GgmlType.I2_S, 256, 4);
            w.addTensor("w.tq2", GgmlType.TQ2_0, 256);
            w.writeTensor("w.f32", f32);
            w.writeTensor("w.q8", ByteBuffer.wrap(q8));
            MemorySegment native_ = arena.allocate(i2s.length);
            native_.copyFrom(MemorySegment.ofArray(i2s));
            w.writeTensor("w.i2s", native_);
            w.writeTensor("w.tq2", out -> {
                out.write(ByteBuffer.wrap(tq2, 0, 10));
                out.write(ByteBuffer.wrap(tq2, 10, 56));
            });
            w.finish();
        }
        byte[] file = Files.readAllBytes(p);
        ByteBuffer le = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("GGUF", new String(file, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(3, le.getInt(4), "version");
        assertEquals(4, le.getLong(8), "tensor count");
        assertEquals(meta.size(), le.getLong(16), "kv count");
        assertEquals("general.architecture".length(), le.getLong(24), "first key length");

        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(List.copyOf(meta.keySet()), List.copyOf(f.metadata().keys()), "insertion order");
            assertEquals(meta, f.metadata().asMap());
            assertEquals(0, f.dataOffset() % 32);
            GgufTensor t = f.tensor("w.f32");
            assertArrayEquals(new long[] {8, 3}, t.dims());
            assertEquals(Shape.of(3, 8), t.shape());
            long expectedOffset = 0;
            byte[][] data = {f32, q8, i2s, tq2};
            for (int i = 0; i < 4; i++) {
                GgufTensor ti = f.tensors().get(i);
                assertEquals(expectedOffset, ti.offset(), ti.name());
                assertArrayEquals(data[i], ti.data().toArray(ValueLayout.JAVA_BYTE), ti.name());
                expectedOffset += (ti.byteSize() + 31) / 32 * 32;
            }
            assertEquals(GgmlType.I2_S, f.tensor("w.i2s").type());
            assertEquals(f.dataOffset() + expectedOffset, f.fileSize(), "every tensor is padded, the last one too");
            GgufTensor q = f.tensor("w.q8"); // 68 bytes at 96, padded to 192
            assertEquals(96, q.offset());
            for (long i = f.dataOffset() + 96 + 68; i < f.dataOffset() + 192; i++) {
                assertEquals(0, file[(int) i], "padding is zero at byte " + i);
            }
        }
    }

    @Test
    void alignmentKeyIsHonoured() throws IOException {
        Path p = dir.resolve("a64.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put(GgufFile.KEY_ALIGNMENT, GgufValue.u32(64));
            w.addTensor("a", GgmlType.F32, 3).addTensor("b", GgmlType.F16, 5);
            w.writeTensor("a", new byte[12]);
            w.writeTensor("b", new byte[10]);
            w.finish();
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(64, f.alignment());
            assertEquals(0, f.dataOffset() % 64);
            assertEquals(64, f.tensor("b").offset());
            assertEquals(f.dataOffset() + 128, f.fileSize());
        }
    }

    @Test
    void stringsOfEveryKindRoundTrip() throws IOException {
        // ASCII, two-, three- and four-byte characters, and U+FFFD itself (valid UTF-8, which the reader's fast decoding
        // must not take for the mark of a malformed sequence)
        String[] tokens = {"abc", "Ġthe", "é", "日本", "😀", "\uFFFD", "a\uFFFDb", ""};
        Path p = dir.resolve("strings.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("t.tokens", GgufArray.ofStrings(tokens));
            w.put("t.one", GgufValue.string("x\uFFFD"));
            w.finish();
        }
        try (GgufFile f = GgufFile.open(p)) {
            GgufArray a = (GgufArray) f.metadata().get("t.tokens");
            for (int i = 0; i < tokens.length; i++) {
                assertEquals(tokens[i], a.getString(i), "element " + i);
            }
            assertEquals("x\uFFFD", f.metadata().getString("t.one"));
        }
    }

    @Test
    void aFileWithoutTensorsEndsAtItsHeader() throws IOException {
        Path p = dir.resolve("vocab.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("k", GgufValue.string("abc"));
            w.finish();
        }
        assertEquals(4 + 4 + 8 + 8 + (8 + 1) + 4 + (8 + 3), Files.size(p));
    }

    @Test
    void theFinishedFileHasThePermissionsOfAnyNewFile() throws IOException {
        Path p = dir.resolve("perm.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("k", GgufValue.u32(1));
            w.finish();
        }
        Path plain = Files.createFile(dir.resolve("plain")); // default mode under this process's umask
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p));
    }

    @Test
    void puttingAKeyAgainReplacesItInPlace() throws IOException {
        Path p = dir.resolve("replace.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("a", GgufValue.u32(1)).put("b", GgufValue.u32(2)).put("a", GgufValue.string("x"));
            w.finish();
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(List.of("a", "b"), List.copyOf(f.metadata().keys()));
            assertEquals("x", f.metadata().getString("a"));
        }
    }

    @Test
    void aFailureMidWriteLeavesNeitherTargetNorTempFile() throws IOException {
        Path p = dir.resolve("model.gguf");
        GgufWriter w = GgufWriter.create(p);
        w.addTensor("a", GgmlType.F32, 4).addTensor("b", GgmlType.F32, 4);
        w.writeTensor("a", new byte[16]);
        IOException e = assertThrows(IOException.class, () -> w.writeTensor("b", out -> {
            out.write(ByteBuffer.allocate(8));
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", e.getMessage());
        assertDirectoryEmpty();
        assertThrows(IllegalStateException.class, w::finish, "the writer is dead after a failure");
        w.close();
        assertDirectoryEmpty();
    }

    @Test
    void aFailureLeavesAnExistingTargetUntouched() throws IOException {
        Path p = dir.resolve("model.gguf");
        Files.writeString(p, "old contents");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.addTensor("a", GgmlType.F32, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.writeTensor("a", new byte[15]));
            assertTrue(e.getMessage().contains("declared as 16 bytes but the data has 15"), e.getMessage());
        }
        assertEquals("old contents", Files.readString(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void finishReplacesAnExistingTarget() throws IOException {
        Path p = dir.resolve("model.gguf");
        Files.writeString(p, "old contents");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("k", GgufValue.bool(true)).finish();
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertTrue(f.metadata().getBool("k"));
        }
    }

    @Test
    void closeWithoutFinishDiscardsEverything() throws IOException {
        try (GgufWriter w = GgufWriter.create(dir.resolve("x.gguf"))) {
            w.addTensor("a", GgmlType.F32, 1);
            w.writeTensor("a", new byte[4]);
        }
        assertDirectoryEmpty();
    }

    @Test
    void writtenSizesAndOrderAreEnforced() throws IOException {
        GgufWriter tooMuch = GgufWriter.create(dir.resolve("m.gguf"));
        tooMuch.addTensor("a", GgmlType.F32, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tooMuch.writeTensor("a", out -> out.write(ByteBuffer.allocate(12))));
        assertTrue(e.getMessage().contains("declared as 8 bytes but more"), e.getMessage());
        assertDirectoryEmpty();

        GgufWriter tooLittle = GgufWriter.create(dir.resolve("m.gguf"));
        tooLittle.addTensor("a", GgmlType.F32, 2);
        e = assertThrows(IllegalArgumentException.class, () -> tooLittle.writeTensor("a", out -> out.write(ByteBuffer.allocate(4))));
        assertTrue(e.getMessage().contains("8 bytes but 4 were written"), e.getMessage());

        GgufWriter order = GgufWriter.create(dir.resolve("m.gguf"));
        order.addTensor("a", GgmlType.F32, 1).addTensor("b", GgmlType.F32, 1);
        assertTrue(assertThrows(IllegalStateException.class, () -> order.writeTensor("b", new byte[4]))
                .getMessage().contains("'a' is next"));

        GgufWriter unwritten = GgufWriter.create(dir.resolve("m.gguf"));
        unwritten.addTensor("a", GgmlType.F32, 1).addTensor("b", GgmlType.F32, 1);
        unwritten.writeTensor("a", new byte[4]);
        assertTrue(assertThrows(IllegalStateException.class, unwritten::finish).getMessage().contains("'b' and 0 after it"));
        assertDirectoryEmpty();

        GgufWriter late = GgufWriter.create(dir.resolve("m.gguf"));
        late.addTensor("a", GgmlType.F32, 1);
        late.writeTensor("a", new byte[4]);
        assertThrows(IllegalStateException.class, () -> late.put("k", GgufValue.u8(1)));
        assertDirectoryEmpty();
    }

    @Test
    void badDeclarationsAreRejected() throws IOException {
        assertRejected(w -> w.addTensor("x".repeat(64), GgmlType.F32, 1), "1..63");
        assertRejected(w -> w.addTensor("", GgmlType.F32, 1), "1..63");
        assertRejected(w -> w.addTensor("a", GgmlType.F32, 1).addTensor("a", GgmlType.F32, 1), "declared twice");
        assertRejected(w -> w.addTensor("a", GgmlType.F32, 1, 1, 1, 1, 1), "5 dims");
        assertRejected(w -> w.addTensor("a", GgmlType.F32, 4, 0), "dimension 0 must be positive");
        assertRejected(w -> w.addTensor("a", GgmlType.TQ2_0, 128, 2), "row length 128 is not a multiple of TQ2_0's block size 256");
        assertRejected(w -> w.addTensor("a", GgmlType.F32, 1L << 40, 1L << 40), "overflows");
        assertRejected(w -> w.put(GgufFile.KEY_ALIGNMENT, GgufValue.u32(3)), "not a power of two");
        assertRejected(w -> w.put(GgufFile.KEY_ALIGNMENT, GgufValue.u32(0)), "not a power of two");
        assertRejected(w -> w.put(GgufFile.KEY_ALIGNMENT, GgufValue.u64(32)), "must be a UINT32");
        assertRejected(w -> w.put("", GgufValue.u8(1)), "must not be empty");
        assertRejected(w -> w.put("k", GgufValue.string("bad \uD800 surrogate")).finish(), "key 'k' is not valid Unicode");
    }

    private interface WriterAction {
        void apply(GgufWriter w) throws IOException;
    }

    private void assertRejected(WriterAction action, String expected) throws IOException {
        try (GgufWriter w = GgufWriter.create(dir.resolve("bad.gguf"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> action.apply(w));
            assertTrue(e.getMessage().contains(expected), "message lacks '" + expected + "': " + e.getMessage());
        }
        assertDirectoryEmpty();
    }

    @Test
    void ggmlDimsReverseOuterFirstShapes() {
        assertArrayEquals(new long[] {2560, 640}, GgufWriter.ggmlDims(Shape.of(640, 2560)));
        assertArrayEquals(new long[] {4, 3, 2}, GgufWriter.ggmlDims(Shape.of(2, 3, 4)));
    }

    private void assertDirectoryEmpty() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> left = files.toList();
            assertFalse(!left.isEmpty(), "left behind: " + left);
        }
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }
}
