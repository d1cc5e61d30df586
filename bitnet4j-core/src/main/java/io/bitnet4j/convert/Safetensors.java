package io.bitnet4j.convert;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code .safetensors} file, memory-mapped: an 8-byte little-endian header length {@code N}, {@code N} bytes of
 * JSON mapping each tensor name to its {@code dtype}, {@code shape} and {@code data_offsets} (begin and end,
 * relative to the data that follows the header), and an optional {@code __metadata__} object of strings.
 *
 * <p>Every field is checked before use, and errors name the file and the tensor: a file shorter than its header
 * length, a header that is not a JSON object, an unknown dtype, offsets outside the data, and a byte length that
 * does not match the shape.
 */
public final class Safetensors implements AutoCloseable {
    /** The safetensors format's own limit on the header size. */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    /** The element types safetensors names, with their sizes in bytes. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("I8", 1), Map.entry("U8", 1),
            Map.entry("BOOL", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    /** One tensor: its dtype name, shape (outermost first, as torch has it) and bytes. */
    public record Entry(String name, String dtype, long[] shape, MemorySegment data) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path path;
    private final Arena arena;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private Safetensors(Path path, Arena arena, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens and validates {@code file}. */
    public static Safetensors open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            String name = file.getFileName().toString();
            if (all.byteSize() < 8) {
                throw new IllegalArgumentException(name + ": " + all.byteSize() + " bytes is too short for a safetensors header length");
            }
            long headerBytes = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerBytes < 2 || headerBytes > all.byteSize() - 8) {
                throw new IllegalArgumentException(name + ": header length " + Long.toUnsignedString(headerBytes)
                        + " does not fit the file's " + all.byteSize() + " bytes (truncated or not a safetensors file)");
            }
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IllegalArgumentException(name + ": header length " + headerBytes + " exceeds the safetensors limit of 100 MB");
            }
            String header = Utf8.decode(all.asSlice(8, headerBytes).toArray(ValueLayout.JAVA_BYTE), name + ": the header");
            MemorySegment data = all.asSlice(8 + headerBytes);
            Safetensors s = parse(file, arena, JsonObject.parse(header.stripTrailing(), name + " header"), data);
            return s;
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Safetensors parse(Path file, Arena arena, JsonObject header, MemorySegment data) {
        String name = file.getFileName().toString();
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.map().entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                header.object("__metadata__").map().forEach((k, v) -> metadata.put(k, String.valueOf(v)));
                continue;
            }
            JsonObject t = header.object(e.getKey());
            String where = name + ": tensor '" + e.getKey() + "'";
            String dtype = t.string("dtype");
            Integer size = DTYPE_BYTES.get(dtype);
            if (size == null) {
                throw new IllegalArgumentException(where + " has unknown dtype '" + dtype + "'");
            }
            long[] shape = longs(t.list("shape"), where + " shape");
            long[] offsets = longs(t.list("data_offsets"), where + " data_offsets");
            if (offsets.length != 2 || offsets[0] > offsets[1] || offsets[1] > data.byteSize()) {
                throw new IllegalArgumentException(where + ": data_offsets " + java.util.Arrays.toString(offsets)
                        + " are not a range inside the " + data.byteSize() + " data bytes");
            }
            long need = size;
            for (long d : shape) {
                need = Math.multiplyExact(need, d);
            }
            if (need != offsets[1] - offsets[0]) {
                throw new IllegalArgumentException(where + ": shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                        + need + " bytes but data_offsets span " + (offsets[1] - offsets[0]));
            }
            entries.put(e.getKey(), new Entry(e.getKey(), dtype, shape, data.asSlice(offsets[0], need)));
        }
        return new Safetensors(file, arena, entries, metadata);
    }

    private static long[] longs(List<Object> list, String what) {
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) {
                throw new IllegalArgumentException(what + " holds " + list.get(i) + "; expected non-negative integers");
            }
            out[i] = l;
        }
        return out;
    }

    public Path path() {
        return path;
    }

    /** The tensors in header order. */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** The {@code __metadata__} strings. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Unmaps the file; the entries' segments are invalid afterwards. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
