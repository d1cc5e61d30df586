package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layout cache: a layout comes back from the file only when it was made from the same tensor bytes, in the same
 * shape, and its own bytes are intact; anything else is repacked and written again, and a bad file is never an error.
 */
class LayoutCacheTest {
    private static final Summation FAST = new Summation(Summation.Routine.KERNEL_ORDER, GgmlSimd.AVX512);
    private static final int ROWS = 70; // a partial last tile at 16 and 32 lanes
    private static final int COLS = 512;

    @TempDir
    Path dir;

    @Test
    void aSavedLayoutIsMappedBackAndMultipliesToTheSameBits() throws IOException {
        byte[] uniform = tq2(1, true);
        byte[] perBlock = tq2(2, false); // blocks with their own scales: the layout holds them
        byte[] i2s = I2_S.pack(LutKernelTest.randomTrits(ROWS * COLS, 3), 0.25f);
        Path file = dir.resolve("m.lut");

        LayoutCache first = LayoutCache.open(file);
        assertEquals(0, first.storedLayouts());
        AtomicInteger packs = new AtomicInteger();
        LutMatrix[] fresh = {tq2Matrix("a", uniform, first, packs), tq2Matrix("b", perBlock, first, packs), i2sMatrix("c", i2s, first, packs)};
        assertEquals(3, packs.get(), "nothing in the cache yet: every layout is repacked");
        assertTrue(first.save());

        LayoutCache second = LayoutCache.open(file);
        assertEquals(3, second.storedLayouts());
        LutMatrix[] cached = {tq2Matrix("a", uniform, second, packs), tq2Matrix("b", perBlock, second, packs), i2sMatrix("c", i2s, second, packs)};
        assertEquals(3, packs.get(), "every layout came from the file");
        assertFalse(second.save(), "nothing changed, nothing written");
        float[] x = SeededArrays.gaussian(4, 3 * COLS, 1);
        for (int i = 0; i < fresh.length; i++) {
            assertArrayEquals(bytes(fresh[i].layout.words()), bytes(cached[i].layout.words()), "words of layout " + i);
            if (fresh[i].layout.scales() != null) {
                assertArrayEquals(bytes(fresh[i].layout.scales()), bytes(cached[i].layout.scales()), "scales of layout " + i);
            }
            ActivationType as = fresh[i].activationType();
            assertEquals(-1, Harness.firstBitDifference(Harness.multiply(fresh[i], x, 3, as, FAST, 2),
                    Harness.multiply(cached[i], x, 3, as, FAST, 2)), "products of layout " + i);
        }
    }

    @Test
    void aChangedTensorIsRepackedAndTheFileRewritten() throws IOException {
        byte[] w = tq2(5, true);
        Path file = savedCache(w);

        int code = w[100] >> 2 & 3; // one trit of the tensor changed, to another valid code (0..2)
        w[100] = (byte) (w[100] & ~0x0C | (code + 1) % 3 << 2);
        AtomicInteger packs = new AtomicInteger();
        LayoutCache second = LayoutCache.open(file);
        LutMatrix m = tq2Matrix("a", w, second, packs);
        assertEquals(1, packs.get(), "a layout made from other bytes is not used");
        assertTrue(second.save());
        LutMatrix plain = LutKernelTest.bind(GgmlType.TQ2_0, ROWS, COLS, w);
        assertArrayEquals(bytes(plain.layout.words()), bytes(m.layout.words()));

        AtomicInteger again = new AtomicInteger();
        tq2Matrix("a", w, LayoutCache.open(file), again);
        assertEquals(0, again.get(), "the rewritten file serves the changed tensor");
    }

    /** A file rewritten after some layouts were found and one repacked serves all of them on the next load. */
    @Test
    void aRewriteKeepsTheLayoutsThatWereFound() throws IOException {
        byte[] kept = tq2(10, true);
        byte[] changed = tq2(11, false);
        Path file = dir.resolve("m.lut");
        LayoutCache first = LayoutCache.open(file);
        tq2Matrix("a", kept, first, new AtomicInteger());
        tq2Matrix("b", changed, first, new AtomicInteger());
        assertTrue(first.save());

        changed[64] ^= 1; // the low bit of the fp16 scale of b's first block (after its 64 code bytes): b is repacked, a found
        AtomicInteger packs = new AtomicInteger();
        LayoutCache second = LayoutCache.open(file);
        tq2Matrix("a", kept, second, packs);
        tq2Matrix("b", changed, second, packs);
        assertEquals(1, packs.get());
        assertTrue(second.save());

        AtomicInteger again = new AtomicInteger();
        LayoutCache third = LayoutCache.open(file);
        tq2Matrix("a", kept, third, again);
        tq2Matrix("b", changed, third, again);
        assertEquals(0, again.get(), "both layouts come from the rewritten file, intact");
    }

    /** Layouts are arranged for a thread count (groups of tiles on several threads, one group on one): another is a miss. */
    @Test
    void aLayoutForAnotherThreadCountIsAMiss() throws IOException {
        int rows = 1700; // 54 tiles at 32 lanes, 107 at 16: several groups on two threads
        byte[] w = TQ2_0.FORMAT.pack(LutKernelTest.randomTrits(rows * 256, 8), filled(rows, 0.5f));
        Path file = dir.resolve("m.lut");
        LayoutCache first = LayoutCache.open(file);
        LutMatrix forTwo = TernaryLutMatrix.repack("a", GgmlType.TQ2_0, rows, 256, MemorySegment.ofArray(w), TQ2_0.FORMAT, 2, first);
        assertTrue(first.save());

        LayoutCache second = LayoutCache.open(file);
        LutMatrix forOne = TernaryLutMatrix.repack("a", GgmlType.TQ2_0, rows, 256, MemorySegment.ofArray(w), TQ2_0.FORMAT, 1, second);
        assertEquals(1, second.repacked(), "a layout for two threads does not serve one");
        assertTrue(forOne.layout.groupTiles() > forTwo.layout.groupTiles());
        float[] x = SeededArrays.gaussian(9, 256, 1);
        assertEquals(-1, Harness.firstBitDifference(Harness.multiply(forTwo, x, 1, ActivationType.Q8_K, FAST, 2),
                Harness.multiply(forOne, x, 1, ActivationType.Q8_K, FAST, 2)), "both layouts give the same products");

        LayoutCache third = LayoutCache.open(file);
        TernaryLutMatrix.repack("a", GgmlType.TQ2_0, rows, 256, MemorySegment.ofArray(w), TQ2_0.FORMAT, 2, third);
        assertEquals(0, third.repacked(), "the layout for two threads is still served to two");
    }

    @Test
    void aCorruptLayoutOrAnotherShapeIsAMiss() throws IOException {
        byte[] w = tq2(6, true);
        Path file = savedCache(w);

        byte[] raw = Files.readAllBytes(file);
        raw[raw.length - 1] ^= 1; // the last byte of the layout's words
        Files.write(file, raw);
        AtomicInteger packs = new AtomicInteger();
        tq2Matrix("a", w, LayoutCache.open(file), packs);
        assertEquals(1, packs.get(), "a layout whose bytes fail their checksum is not used");

        AtomicInteger other = new AtomicInteger();
        tq2Matrix("b", w, LayoutCache.open(file), other); // same bytes under another name: not in the file
        assertEquals(1, other.get());
    }

    @Test
    void filesThatAreNotCachesAreIgnored() throws IOException {
        byte[] w = tq2(7, true);
        Path file = savedCache(w);
        byte[] valid = Files.readAllBytes(file);

        // the header of a cache not tied to a model file: magic (8), model size and time (16), an empty file key (2)
        int countAt = 8 + 16 + 2;
        byte[] absurdCount = valid.clone();
        absurdCount[countAt] = absurdCount[countAt + 1] = absurdCount[countAt + 2] = (byte) 0xFF; // a count of millions
        byte[] farOffset = valid.clone();
        int nameLength = valid[countAt + 4] & 0xFF | (valid[countAt + 5] & 0xFF) << 8;
        int wordsAt = countAt + 6 + nameLength + 5 * 4 + 1 + 8 + 4; // the first entry's words offset
        farOffset[wordsAt + 7] = 0x40; // 2^62 bytes in
        byte[] longKey = valid.clone();
        longKey[8 + 16] = (byte) 0xFF; // a file key longer than the file
        longKey[8 + 17] = (byte) 0xFF;
        byte[][] bad = {new byte[0], "B4JLUT2\n".getBytes(), randomBytes(8, 4096), absurdCount, farOffset, longKey,
            java.util.Arrays.copyOf(valid, valid.length / 2), java.util.Arrays.copyOf(valid, countAt + 2)};
        for (byte[] b : bad) {
            Files.write(file, b);
            LayoutCache c = LayoutCache.open(file);
            AtomicInteger packs = new AtomicInteger();
            tq2Matrix("a", w, c, packs);
            assertEquals(1, packs.get(), "a file of " + b.length + " bytes serves nothing");
            assertTrue(c.save(), "and is replaced");
            assertEquals(1, LayoutCache.open(file).storedLayouts());
        }
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary files left behind");
        }
    }

    /**
     * Tied to its model file, a cache takes the recorded source checksum and facts while that file is unchanged (the
     * tensor's bytes are not read: here they differ from the recorded ones, and the recorded layout and scale are
     * used), and checks every byte again once the file's modification time has changed.
     */
    @Test
    void theRecordedChecksStandWhileTheModelFileIsUnchanged() throws IOException {
        Path model = Files.write(dir.resolve("model.gguf"), new byte[64]);
        Path cacheDir = dir.resolve("layouts");
        byte[] w = tq2(12, true);
        LayoutCache first = LayoutCache.forModel(model, 2, cacheDir);
        LutMatrix saved = tq2Matrix("a", w, first, new AtomicInteger());
        AtomicInteger scans = new AtomicInteger();
        assertEquals(7, first.fact("count of a", w.length, () -> scans.incrementAndGet() + 6));
        assertTrue(first.save());

        // the same shape, other trits and scale: as if the bytes had changed while the file kept its identity
        byte[] other = TQ2_0.FORMAT.pack(LutKernelTest.randomTrits(ROWS * COLS, 13), filled(ROWS * COLS / 256, 0.25f));
        AtomicInteger packs = new AtomicInteger();
        LayoutCache same = LayoutCache.forModel(model, 2, cacheDir);
        LutMatrix trusted = tq2Matrix("a", other, same, packs);
        assertEquals(0, packs.get(), "the model file is unchanged: the recorded checksum stands for its bytes");
        assertArrayEquals(bytes(saved.layout.words()), bytes(trusted.layout.words()));
        assertEquals(((TernaryLutMatrix) saved).uniformScale(), ((TernaryLutMatrix) trusted).uniformScale(),
                "the recorded scale, not the one of the bytes at hand");
        assertEquals(7, same.fact("count of a", w.length, () -> scans.incrementAndGet() + 6));
        assertEquals(1, scans.get(), "a recorded fact is not computed again");
        assertEquals(9, same.fact("count of a", w.length + 1, () -> 9), "another length: computed");

        Files.setLastModifiedTime(model, FileTime.from(Files.getLastModifiedTime(model).toInstant().plusSeconds(1)));
        LayoutCache touched = LayoutCache.forModel(model, 2, cacheDir);
        LutMatrix checked = tq2Matrix("a", other, touched, packs);
        assertEquals(1, packs.get(), "a touched model file: the bytes are checked and found changed");
        assertEquals(0.25f, ((TernaryLutMatrix) checked).uniformScale());
        assertEquals(8, touched.fact("count of a", w.length, () -> scans.incrementAndGet() + 6));
        assertEquals(2, scans.get(), "and its facts computed again");
    }

    /** Facts go into the file with the layouts, a fact alone never makes a save write, and a rewrite keeps them. */
    @Test
    void factsAreSavedWithTheLayouts() throws IOException {
        Path model = Files.write(dir.resolve("model.gguf"), new byte[64]);
        Path cacheDir = dir.resolve("layouts");
        LayoutCache first = LayoutCache.forModel(model, 2, cacheDir);
        assertEquals(1, first.fact("all finite x", 100, () -> 1));
        assertFalse(first.save(), "no layout repacked: nothing to write");
        tq2Matrix("a", tq2(14, false), first, new AtomicInteger());
        assertTrue(first.save());

        LayoutCache second = LayoutCache.forModel(model, 2, cacheDir);
        assertEquals(1, second.fact("all finite x", 100, () -> 0));
        byte[] changed = tq2(15, false);
        Files.setLastModifiedTime(model, FileTime.from(Files.getLastModifiedTime(model).toInstant().plusSeconds(1)));
        LayoutCache third = LayoutCache.forModel(model, 2, cacheDir);
        assertEquals(1, third.fact("all finite x", 100, () -> 1));
        tq2Matrix("a", changed, third, new AtomicInteger());
        assertEquals(1, third.repacked());
        assertTrue(third.save());
        LayoutCache fourth = LayoutCache.forModel(model, 2, cacheDir);
        assertEquals(1, fourth.fact("all finite x", 100, () -> 0), "the rewrite kept the fact, for the file as it is now");
        AtomicInteger packs = new AtomicInteger();
        tq2Matrix("a", changed, fourth, packs);
        assertEquals(0, packs.get());
    }

    /** A cache file of 2 GB or more (a larger model's layouts) is read like any other: its index is at the start. */
    @Test
    void aFileOverTwoGigabytesIsStillRead() throws IOException {
        byte[] w = tq2(16, true);
        Path file = savedCache(w);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((1L << 31) + 4096); // sparse: no disk space taken
        }
        LayoutCache big = LayoutCache.open(file);
        assertEquals(1, big.storedLayouts());
        AtomicInteger packs = new AtomicInteger();
        tq2Matrix("a", w, big, packs);
        assertEquals(0, packs.get(), "the layout is found in the large file");
    }

    @Test
    void oneFilePerModelAndArrangement() throws IOException {
        Path model = Files.write(dir.resolve("model.gguf"), new byte[16]);
        Path cache = dir.resolve("cache");
        assertEquals(cache.resolve("model.gguf-16.lut"), LayoutCache.forModel(model, 2, cache).file());
        assertEquals(cache.resolve("model.gguf-16-1t.lut"), LayoutCache.forModel(model, 1, cache).file());
    }

    @Test
    void trimDeletesTheLeastRecentlyUsedCachesBeyondTheCapAndNothingElse() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("layouts"));
        Path oldest = sized(cache.resolve("a.gguf-1.lut"), 400, 1_000);
        Path middle = sized(cache.resolve("b.gguf-1.lut"), 400, 2_000);
        Path newest = sized(cache.resolve("c.gguf-1.lut"), 400, 3_000);
        Path other = sized(cache.resolve("notes.txt"), 5_000, 0); // not a cache: never counted or deleted
        Path staleTemp = sized(cache.resolve("d.gguf-1.lut123.tmp"), 10, 0); // a killed write's leftover
        Path liveTemp = Files.write(cache.resolve("e.gguf-1.lut456.tmp"), new byte[10]); // a write in progress now

        assertEquals(java.util.List.of(staleTemp, oldest), LayoutCacheDirectory.trim(cache, 900, newest));
        assertFalse(Files.exists(oldest));
        assertTrue(Files.exists(middle) && Files.exists(newest) && Files.exists(other) && Files.exists(liveTemp));

        // the one to keep survives even when it alone is over the cap; the others go, oldest first
        assertEquals(java.util.List.of(middle), LayoutCacheDirectory.trim(cache, 100, newest));
        assertTrue(Files.exists(newest));
        assertEquals(java.util.List.of(), LayoutCacheDirectory.trim(cache, 400, null), "within the cap: nothing to delete");
    }

    @Test
    void aCacheInUseMovesToTheBackOfTheEvictionOrder() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("layouts"));
        Path used = sized(cache.resolve("a.gguf-1.lut"), 400, 1_000);
        Path idle = sized(cache.resolve("b.gguf-1.lut"), 400, 2_000);
        LayoutCache.open(used).markUsed();
        assertEquals(java.util.List.of(idle), LayoutCacheDirectory.trim(cache, 500, null));
        assertTrue(Files.exists(used));
    }

    @Test
    void layoutBytesCountWhatASaveWrites() throws IOException {
        LayoutCache cache = LayoutCache.open(dir.resolve("m.lut"));
        assertEquals(0, cache.layoutBytes());
        LutMatrix m = tq2Matrix("a", tq2(7, false), cache, new AtomicInteger());
        long expected = m.layout.words().byteSize() + m.layout.scales().byteSize();
        assertEquals(expected, cache.layoutBytes());
        assertTrue(cache.save());
        assertTrue(Files.size(cache.file()) >= expected, "the file holds the layouts");
    }

    /** A file of {@code bytes} bytes whose modification time is {@code epochSecond} (0: an hour and a minute ago). */
    private static Path sized(Path p, int bytes, long epochSecond) throws IOException {
        Files.write(p, new byte[bytes]);
        java.time.Instant t = epochSecond > 0 ? java.time.Instant.ofEpochSecond(epochSecond)
                : java.time.Instant.now().minusSeconds(3660);
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(t));
        return p;
    }

    /** A cache file holding the layout of {@code w} as tensor "a". */
    private Path savedCache(byte[] w) throws IOException {
        Path file = dir.resolve("m.lut");
        LayoutCache cache = LayoutCache.open(file);
        tq2Matrix("a", w, cache, new AtomicInteger());
        assertTrue(cache.save());
        return file;
    }

    /** A TQ2_0 tensor of seeded trits, with one scale for all blocks or a scale per block. */
    private static byte[] tq2(long seed, boolean oneScale) {
        float[] scales = oneScale ? filled(ROWS * COLS / 256, 0.5f) : SeededArrays.uniform(seed, ROWS * COLS / 256, 2);
        return TQ2_0.FORMAT.pack(LutKernelTest.randomTrits(ROWS * COLS, seed), scales);
    }

    /** The tensor bound through {@code cache}; {@code packs} counts it if the cache had to repack it. */
    private static LutMatrix tq2Matrix(String name, byte[] bytes, LayoutCache cache, AtomicInteger packs) {
        int before = cache.repacked();
        LutMatrix m = TernaryLutMatrix.repack(name, GgmlType.TQ2_0, ROWS, COLS, MemorySegment.ofArray(bytes), TQ2_0.FORMAT, 2, cache);
        packs.addAndGet(cache.repacked() - before);
        return m;
    }

    private static LutMatrix i2sMatrix(String name, byte[] bytes, LayoutCache cache, AtomicInteger packs) {
        int before = cache.repacked();
        LutMatrix m = I2sLutMatrix.repack(name, ROWS, COLS, MemorySegment.ofArray(bytes), 2, cache);
        packs.addAndGet(cache.repacked() - before);
        return m;
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new java.util.SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
