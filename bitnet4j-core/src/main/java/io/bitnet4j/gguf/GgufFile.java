package io.bitnet4j.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open GGUF file (version 2 or 3): its metadata and its tensors, the tensor data memory-mapped.
 *
 * <p>{@link #open} maps the whole file read-only into a shared {@link Arena} (any size: mapping is not
 * limited to 2 GB), validates the header as strictly as ggml does (every count and length is checked
 * against the bytes left before anything is allocated; type ids, shapes, alignment, duplicate names and
 * UTF-8 are checked; each tensor's offset must be the running padded size of the tensors before it and
 * its data must lie inside the file) and slices one {@link MemorySegment} per tensor. Nothing is copied to the heap but the metadata. The tensor segments stay valid until
 * {@link #close()}, which unmaps the file; touching them afterwards throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (GgufFile f = GgufFile.open(path)) {
 *     int layers = f.metadata().getInt("llama.block_count");
 *     GgufTensor q = f.tensor("blk.0.attn_q.weight");   // q.dims()[0] is the row length
 * }
 * }</pre>
 */
public final class GgufFile implements AutoCloseable {
    /** The metadata key holding the data alignment. */
    public static final String KEY_ALIGNMENT = "general.alignment";
    /** The alignment when {@link #KEY_ALIGNMENT} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** ggml's {@code GGML_MAX_NAME} (64) less the terminating NUL. */
    public static final int MAX_TENSOR_NAME_BYTES = 63;
    /** ggml's {@code GGML_MAX_DIMS}. */
    public static final int MAX_DIMS = 4;

    private final Path path;
    private final Arena arena;
    private final long fileSize;
    private final GgufReader.Header header;
    private final List<GgufTensor> tensors;
    private final Map<String, GgufTensor> byName;

    private GgufFile(Path path, Arena arena, MemorySegment file, GgufReader.Header header) {
        this.path = path;
        this.arena = arena;
        this.fileSize = file.byteSize();
        this.header = header;
        Map<String, GgufTensor> map = new LinkedHashMap<>();
        for (GgufReader.TensorInfo t : header.tensors()) {
            MemorySegment data = file.asSlice(header.dataOffset() + t.offset(), t.byteSize());
            map.put(t.name(), new GgufTensor(t.name(), t.type(), t.dims(), t.nElements(), t.offset(), t.byteSize(), data));
        }
        this.byName = map;
        this.tensors = List.copyOf(map.values());
    }

    /**
     * Opens and validates {@code path}. Throws {@link GgufFormatException} (naming the field and byte
     * offset) if the file is not a well-formed GGUF v2/v3 file, or another {@link IOException} if it
     * cannot be read.
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufFile(path, arena, file, GgufReader.read(file));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The GGUF version, 2 or 3. */
    public int version() {
        return header.version();
    }

    /** The data alignment in bytes ({@link #KEY_ALIGNMENT}, or 32). */
    public int alignment() {
        return header.alignment();
    }

    /** The byte offset of the data section: the end of the tensor infos, padded to the alignment. */
    public long dataOffset() {
        return header.dataOffset();
    }

    public long fileSize() {
        return fileSize;
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    /** The tensors in file order. */
    public List<GgufTensor> tensors() {
        return tensors;
    }

    /** The tensor called {@code name}; throws {@link IllegalArgumentException} if there is none. */
    public GgufTensor tensor(String name) {
        GgufTensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("GGUF file " + path.getFileName() + " has no tensor '" + name + "'");
        }
        return t;
    }

    public Optional<GgufTensor> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Unmaps the file; the tensors' segments are invalid afterwards. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** The UTF-8 byte length of {@code s}. */
    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
