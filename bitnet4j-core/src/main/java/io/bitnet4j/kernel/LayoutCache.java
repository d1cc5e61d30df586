package io.bitnet4j.kernel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * A model's repacked lookup-table layouts kept in one file, so that a later load maps them instead of repacking
 * (the repack is most of a 2B model's load time). Each layout is stored with the CRC32C of the tensor bytes it was
 * repacked from and of its own bytes, and a layout is used only if both match and its shape, tile width and tile
 * groups are the ones asked for. Its own bytes' CRC is computed again on every load. The source's is computed again
 * unless the model file is the very file the cache was written from: the index records that file's size,
 * modification time and file key (device and inode), and while all three are unchanged the recorded CRC stands for
 * the tensor's bytes, which then are not read at all (0.52 GB of a 2B model's, which the lookup-table kernels never
 * touch). A model file rewritten, touched or copied fails that test, and its tensors are checked byte for byte.
 * Anything else, a missing, foreign, truncated or corrupt file included, is a miss: the tensor is repacked and
 * {@link #save} writes a new file (to a temporary file first, then renamed, so a failed write never leaves a
 * half-written cache). Thread-safe: the tensors of a model are bound in parallel.
 *
 * <p>The same test lets the index keep {@link #fact facts} that take a pass over all of a tensor's bytes to learn
 * (whether an F16 matrix is free of infinities, whether a ternary tensor's blocks share one scale).
 *
 * <p>File: the header {@code "B4JLUT3\n"}, then the index (the model file's size and modification time in
 * nanoseconds as longs and its file key as a string; an int count, then per layout its name, shape, source length and
 * checksums, and the offsets and lengths of its words and scales; an int count, then per fact its key, source length
 * and value), then the data, each array at a multiple of 4096 bytes; little-endian throughout, strings as a u16
 * length and UTF-8 bytes.
 */
public final class LayoutCache {
    /**
     * The system property naming the directory of layout caches for {@link io.bitnet4j.BitNet#load}; unset or
     * {@code off}: none (read there, and by the command line, through {@link io.bitnet4j.LayoutCacheSettings#parse}).
     */
    public static final String PROPERTY = "bitnet4j.layoutcache";

    private static final byte[] MAGIC = "B4JLUT3\n".getBytes(StandardCharsets.US_ASCII);
    /** The cache files' name ending; {@link LayoutCacheDirectory#trim} deletes only such files (and their leftovers). */
    static final String SUFFIX = ".lut";
    private static final long ALIGN = 4096;
    /** More layouts than any model has: a count beyond it means the file is not one of ours. */
    private static final int MAX_ENTRIES = 1 << 16;
    /** An index entry's bytes after its name: shape (5 ints), scaled flag, source length and CRC, 4 offsets and lengths, CRC. */
    private static final int ENTRY_FIXED_BYTES = 5 * 4 + 1 + 8 + 4 + 4 * 8 + 4;
    /** The bytes at the start of a file that its index must fit in. */
    private static final long INDEX_WINDOW = 1L << 30;
    /** A fact's bytes after its key: source length and value. */
    private static final int FACT_FIXED_BYTES = 8 + 4;

    private record Entry(String name, int rows, int cols, int block, int tileRows, int groupTiles, boolean scaled, long sourceBytes,
            int sourceCrc, long wordsAt, long wordsBytes, long scalesAt, long scalesBytes, int dataCrc) {}

    /** A layout bound through this cache, kept to be written by {@link #save}, with the CRC32C of its words and scales. */
    private record Kept(LutLayout layout, long sourceBytes, int sourceCrc, int dataCrc) {}

    /** What a pass over {@code sourceBytes} bytes of a tensor found ({@link #fact}). */
    private record Fact(long sourceBytes, int value) {}

    /**
     * A model file as the file system identifies it: its size, modification time and file key (device and inode on
     * Linux; empty where the file system has none). {@link #NONE} matches no file.
     */
    record ModelIdentity(long size, long modifiedNanos, String fileKey) {
        static final ModelIdentity NONE = new ModelIdentity(-1, 0, "");

        static ModelIdentity of(Path model) throws IOException {
            BasicFileAttributes a = Files.readAttributes(model, BasicFileAttributes.class);
            Object key = a.fileKey();
            return new ModelIdentity(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), key == null ? "" : key.toString());
        }
    }

    /** The index of a cache file: the model file it was written from, its layouts and its facts. */
    private record Index(ModelIdentity model, Map<String, Entry> entries, Map<String, Fact> facts) {
        static final Index EMPTY = new Index(ModelIdentity.NONE, Map.of(), Map.of());
    }

    private final Path file;
    private final MemorySegment mapped;
    private final Map<String, Entry> entries;
    private final Map<String, Fact> facts;
    /** The model file of this load; written to the index by {@link #save}. */
    private final ModelIdentity model;
    /** Whether this load's model file is the one the index was written from: its recorded CRCs and facts then stand. */
    private final boolean sameModel;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final Map<String, Fact> keptFacts = new ConcurrentHashMap<>();
    private final AtomicInteger repacked = new AtomicInteger();
    private volatile boolean changed;

    private LayoutCache(Path file, MemorySegment mapped, Index index, ModelIdentity model) {
        this.file = file;
        this.mapped = mapped;
        this.entries = index.entries();
        this.facts = index.facts();
        this.model = model;
        this.sameModel = !model.equals(ModelIdentity.NONE) && model.equals(index.model());
    }

    /**
     * The cache of model file {@code gguf}, laid out for products on {@code threads} threads, in directory {@code dir}
     * ({@link #save} creates it): one file per model and arrangement, named after the model file and its size, with
     * {@code -1t} for one thread. Which directory, if any, is {@link io.bitnet4j.LayoutCacheSettings}' business.
     */
    public static LayoutCache forModel(Path gguf, int threads, Path dir) throws IOException {
        // layouts for one thread and for several differ (LutLayout.groupTiles): one file each, so that alternating
        // between them does not rewrite the cache every time
        String arrangement = threads <= 1 ? "-1t" : "";
        ModelIdentity model = ModelIdentity.of(gguf);
        return open(dir.resolve(gguf.getFileName() + "-" + model.size() + arrangement + SUFFIX), model);
    }

    /**
     * The cache in {@code file}: its layouts if it holds a readable index, else (missing, unreadable, not a cache) an
     * empty cache that {@link #save} fills. Never throws for what the file holds. Not tied to a model file: every
     * source tensor is checked byte for byte ({@link #forModel} ties it).
     */
    public static LayoutCache open(Path file) {
        return open(file, ModelIdentity.NONE);
    }

    static LayoutCache open(Path file, ModelIdentity model) {
        if (!Files.isRegularFile(file)) {
            return new LayoutCache(file, MemorySegment.NULL, Index.EMPTY, model);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            return new LayoutCache(file, m, readIndex(m), model);
        } catch (IOException | RuntimeException e) {
            return new LayoutCache(file, MemorySegment.NULL, Index.EMPTY, model); // unreadable: repack and write anew
        }
    }

    /** The index, or an empty one if {@code m} is not a well-formed cache file (every length checked). */
    private static Index readIndex(MemorySegment m) {
        // the index is at the start: read through a buffer over the first gigabyte at most (a buffer cannot span the
        // 2 GB or more of a larger model's layouts; an index that runs past it is not one of ours)
        ByteBuffer b = m.asSlice(0, Math.min(m.byteSize(), INDEX_WINDOW)).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        if (b.remaining() < MAGIC.length + 16) {
            return Index.EMPTY;
        }
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            return Index.EMPTY;
        }
        long modelSize = b.getLong();
        long modelModified = b.getLong();
        String modelKey = string(b);
        int count = b.remaining() < 4 ? -1 : b.getInt();
        if (modelKey == null || count < 0 || count > MAX_ENTRIES) {
            return Index.EMPTY;
        }
        Map<String, Entry> entries = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = string(b);
            if (name == null || b.remaining() < ENTRY_FIXED_BYTES) {
                return Index.EMPTY;
            }
            Entry e = new Entry(name, b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                    b.getInt(), b.get() != 0, b.getLong(), b.getInt(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt());
            if (!within(e.wordsAt, e.wordsBytes, m.byteSize()) || !within(e.scalesAt, e.scalesBytes, m.byteSize())) {
                return Index.EMPTY;
            }
            entries.put(e.name, e);
        }
        int factCount = b.remaining() < 4 ? -1 : b.getInt();
        if (factCount < 0 || factCount > MAX_ENTRIES) {
            return Index.EMPTY;
        }
        Map<String, Fact> facts = new HashMap<>();
        for (int i = 0; i < factCount; i++) {
            String key = string(b);
            if (key == null || b.remaining() < FACT_FIXED_BYTES) {
                return Index.EMPTY;
            }
            facts.put(key, new Fact(b.getLong(), b.getInt()));
        }
        return new Index(new ModelIdentity(modelSize, modelModified, modelKey), entries, facts);
    }

    /** A u16-length-prefixed UTF-8 string, or null if the buffer ends first. */
    private static String string(ByteBuffer b) {
        if (b.remaining() < 2) {
            return null;
        }
        int n = Short.toUnsignedInt(b.getShort());
        if (b.remaining() < n) {
            return null;
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer b, byte[] utf8) {
        b.putShort((short) utf8.length).put(utf8);
    }

    /** The UTF-8 bytes of an index string, cut to what its u16 length can say (file keys are short; names too). */
    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= 0xFFFF ? b : Arrays.copyOf(b, 0xFFFF);
    }

    private static boolean within(long at, long bytes, long size) {
        return at >= 0 && bytes >= 0 && at <= size && bytes <= size - at;
    }

    /**
     * The layout of tensor {@code name}, repacked from {@code source}: from the file if it holds one made from the same
     * bytes, in this shape, intact; else {@code pack}'s, which {@link #save} will write.
     */
    LutLayout layout(String name, MemorySegment source, int rows, int cols, int block, int tileRows, int groupTiles,
            boolean scaled, Supplier<LutLayout> pack) {
        Entry e = entries.get(name);
        // the model file is the one the index was written from: the recorded CRC stands for the bytes (class comment)
        int sourceCrc = sameModel && e != null && e.sourceBytes == source.byteSize() ? e.sourceCrc : crc(source);
        LutLayout found = null;
        int dataCrc = 0;
        if (e != null && e.rows == rows && e.cols == cols && e.block == block && e.tileRows == tileRows
                && e.groupTiles == groupTiles && e.scaled == scaled
                && e.sourceBytes == source.byteSize() && e.sourceCrc == sourceCrc) {
            MemorySegment words = mapped.asSlice(e.wordsAt, e.wordsBytes);
            MemorySegment scales = scaled ? mapped.asSlice(e.scalesAt, e.scalesBytes) : null;
            if (crc(words, scales) == e.dataCrc) {
                found = LutLayout.of(rows, cols, block, tileRows, groupTiles, SegmentKinds.plain(words),
                        scales == null ? null : SegmentKinds.plain(scales)); // null if the lengths do not fit the shape
                dataCrc = e.dataCrc;
            }
        }
        if (found == null) {
            changed = true;
            repacked.incrementAndGet();
            found = pack.get();
            dataCrc = crc(found.words(), found.scales()); // here, on the binding's threads; a found layout's was just checked
        }
        kept.put(name, new Kept(found, source.byteSize(), sourceCrc, dataCrc));
        return found;
    }

    /**
     * A value that {@code compute} learns from a pass over all {@code sourceBytes} bytes of a tensor, under
     * {@code key} (the kind of fact and the tensor's name): the one the index recorded when this load's model file is
     * the one the index was written from and the tensor has the same length, else {@code compute}'s. Either way kept
     * for {@link #save} (a fact alone never makes a save write).
     */
    int fact(String key, long sourceBytes, IntSupplier compute) {
        Fact f = facts.get(key);
        if (f == null || !sameModel || f.sourceBytes() != sourceBytes) {
            f = new Fact(sourceBytes, compute.getAsInt());
        }
        keptFacts.put(key, f);
        return f.value();
    }

    /** {@code cache.fact(key, sourceBytes, compute)}, or {@code compute}'s value when there is no cache (null). */
    static int fact(LayoutCache cache, String key, long sourceBytes, IntSupplier compute) {
        return cache == null ? compute.getAsInt() : cache.fact(key, sourceBytes, compute);
    }

    /**
     * Writes the layouts bound through this cache to its file if any of them was repacked (none were found in the file,
     * or some were missing or stale), through a temporary file renamed over the old one. Returns whether it wrote.
     */
    public boolean save() throws IOException {
        if (!changed || kept.isEmpty()) {
            return false;
        }
        Map<String, Kept> all = new TreeMap<>(kept);
        Map<String, Fact> allFacts = new TreeMap<>(keptFacts);
        byte[] modelKey = utf8(model.fileKey());
        ByteBuffer index = ByteBuffer.allocate(indexBytes(all, allFacts, modelKey)).order(ByteOrder.LITTLE_ENDIAN);
        index.put(MAGIC).putLong(model.size()).putLong(model.modifiedNanos());
        putString(index, modelKey);
        index.putInt(all.size());
        // where each layout's words and scales go, decided once here and used both for the index and for the writes
        long[] wordsAt = new long[all.size()];
        long[] scalesAt = new long[all.size()];
        long at = align(index.capacity());
        int i = 0;
        for (Map.Entry<String, Kept> k : all.entrySet()) {
            LutLayout l = k.getValue().layout();
            byte[] name = utf8(k.getKey());
            long scalesBytes = l.scales() == null ? 0 : l.scales().byteSize();
            wordsAt[i] = at;
            at = align(at + l.words().byteSize());
            if (scalesBytes > 0) {
                scalesAt[i] = at;
                at = align(at + scalesBytes);
            }
            putString(index, name);
            index.putInt(l.rows()).putInt(l.cols()).putInt(l.block())
                    .putInt(l.tileRows()).putInt(l.groupTiles()).put((byte) (l.scales() == null ? 0 : 1)).putLong(k.getValue().sourceBytes())
                    .putInt(k.getValue().sourceCrc()).putLong(wordsAt[i]).putLong(l.words().byteSize()).putLong(scalesAt[i])
                    .putLong(scalesBytes).putInt(k.getValue().dataCrc());
            i++;
        }
        index.putInt(allFacts.size());
        for (Map.Entry<String, Fact> f : allFacts.entrySet()) {
            putString(index, utf8(f.getKey()));
            index.putLong(f.getValue().sourceBytes()).putInt(f.getValue().value());
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writeAll(ch, index.flip(), 0);
                i = 0;
                for (Kept k : all.values()) {
                    writeAll(ch, k.layout().words(), wordsAt[i]);
                    if (k.layout().scales() != null) {
                        writeAll(ch, k.layout().scales(), scalesAt[i]);
                    }
                    i++;
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        changed = false;
        return true;
    }

    private static int indexBytes(Map<String, Kept> all, Map<String, Fact> facts, byte[] modelKey) {
        int n = MAGIC.length + 16 + 2 + modelKey.length + 4 + 4;
        for (String name : all.keySet()) {
            n += 2 + utf8(name).length + ENTRY_FIXED_BYTES;
        }
        for (String key : facts.keySet()) {
            n += 2 + utf8(key).length + FACT_FIXED_BYTES;
        }
        return n;
    }

    private static long writeAll(FileChannel ch, MemorySegment data, long pos) throws IOException {
        long chunk = 1L << 30;
        for (long o = 0; o < data.byteSize(); o += chunk) {
            pos = writeAll(ch, data.asSlice(o, Math.min(chunk, data.byteSize() - o)).asByteBuffer(), pos);
        }
        return pos;
    }

    private static long writeAll(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
        return pos;
    }

    private static long align(long at) {
        return (at + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static int crc(MemorySegment a, MemorySegment b) {
        CRC32C c = new CRC32C();
        update(c, a);
        if (b != null) {
            update(c, b);
        }
        return (int) c.getValue();
    }

    private static int crc(MemorySegment a) {
        return crc(a, null);
    }

    /** Whole segments, in slices a {@link ByteBuffer} can hold. */
    private static void update(CRC32C c, MemorySegment s) {
        long chunk = 1L << 30;
        for (long o = 0; o < s.byteSize(); o += chunk) {
            c.update(s.asSlice(o, Math.min(chunk, s.byteSize() - o)).asByteBuffer());
        }
    }

    /** Bytes of the layouts bound through this cache (what {@link #save} writes, less the index and alignment). */
    public long layoutBytes() {
        long n = 0;
        for (Kept k : kept.values()) {
            n += k.layout().words().byteSize() + (k.layout().scales() == null ? 0 : k.layout().scales().byteSize());
        }
        return n;
    }

    /** Marks the file as just used, for {@link LayoutCacheDirectory#trim}'s least-recently-used order. */
    public void markUsed() {
        LayoutCacheDirectory.markUsed(file);
    }

    /** The file this cache reads and writes. */
    public Path file() {
        return file;
    }

    /** How many layouts bound through this cache had to be repacked (not found in the file, or stale). */
    public int repacked() {
        return repacked.get();
    }

    /** Layouts the file held when opened (0 if it was missing or unreadable). */
    public int storedLayouts() {
        return entries.size();
    }
}
