package io.bitnet4j.gguf;

import io.bitnet4j.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a GGUF v3 file the way ggml does, streaming the tensor data so that a model is never held in
 * memory twice.
 *
 * <p>Use it in two phases. First {@link #put} metadata (kept in insertion order; putting a key again
 * replaces its value in place) and {@link #addTensor declare} every tensor. Then write each tensor's
 * bytes with {@link #writeTensor}, in declaration order; the first such call writes the header. Finally
 * {@link #finish()} checks that every tensor was written and moves the file into place.
 *
 * <p>Conventions (ggml's): dims in ggml order, {@code dims[0]} the row length, so a {@code [out, in]}
 * weight is declared as {@code {in, out}} ({@link #addTensor(String, GgmlType, Shape)} does the reversal);
 * tensor offsets are relative to the data section, which starts at the header's end padded to the
 * alignment; each tensor is zero-padded to the alignment, the last one included. A file without tensors
 * ends with its header, unpadded, as gguf-py writes vocab-only files. The alignment is
 * {@code general.alignment} if it was put (a UINT32 power of two), else 32.
 *
 * <p>Atomicity: the bytes go to a temporary file beside the target, renamed over it by {@link #finish()}.
 * After any exception the writer is dead: the temporary file is deleted and the target untouched. So is
 * {@link #close()} without {@code finish()}, which makes try-with-resources safe:
 * <pre>{@code
 * try (GgufWriter w = GgufWriter.create(path)) {
 *     w.put("general.architecture", GgufValue.string("llama"));
 *     w.addTensor("token_embd.weight", GgmlType.F32, Shape.of(vocab, dim));
 *     w.writeTensor("token_embd.weight", bytes);
 *     w.finish();
 * }
 * }</pre>
 */
public final class GgufWriter implements AutoCloseable {
    /** Writes exactly the declared number of bytes of one tensor to {@code out}. */
    @FunctionalInterface
    public interface TensorDataWriter {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    private enum State { DECLARING, WRITING_DATA, FINISHED, DEAD }

    private record Declared(String name, GgmlType type, long[] dims, long byteSize) {}

    private static final int VERSION = 3;
    private static final int COPY_BUFFER = 1 << 20;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Declared> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;
    private int next;
    private State state = State.DECLARING;

    private GgufWriter(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /** Starts writing {@code target} (created or replaced only by {@link #finish()}). */
    public static GgufWriter create(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException(target + " is a directory");
        }
        // Not Files.createTempFile: its 0600 mode would survive the rename, and a model file should get
        // the permissions any new file gets here (the umask), as llama.cpp's outputs do.
        Path temp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime())
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()) + ".tmp");
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return new GgufWriter(abs, temp, channel);
        } catch (RuntimeException e) {
            channel.close();
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Copies {@code source} to {@code target}: all metadata in order, all tensors with their bytes. */
    public static void copy(GgufFile source, Path target) throws IOException {
        try (GgufWriter w = create(target)) {
            w.putAll(source.metadata());
            for (GgufTensor t : source.tensors()) {
                w.addTensor(t.name(), t.type(), t.dims());
            }
            for (GgufTensor t : source.tensors()) {
                w.writeTensor(t.name(), t.data());
            }
            w.finish();
        }
    }

    /** ggml dims (row length first) of an outer-first {@link Shape}: {@code [out, in]} gives {@code {in, out}}. */
    public static long[] ggmlDims(Shape shape) {
        long[] dims = new long[shape.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.dim(shape.rank() - 1 - i);
        }
        return dims;
    }

    /** Sets {@code key} (appended, or replaced in place if already set). */
    public GgufWriter put(String key, GgufValue value) {
        guard(() -> {
            requireState(State.DECLARING, "put metadata");
            Objects.requireNonNull(value, "value");
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("a metadata key must not be empty");
            }
            if (key.equals(GgufFile.KEY_ALIGNMENT)) {
                alignment = checkAlignment(value);
            }
            metadata.put(key, value);
        });
        return this;
    }

    /** Puts every entry of {@code m} in its order: e.g. all metadata of an open {@link GgufFile}. */
    public GgufWriter putAll(GgufMetadata m) {
        m.asMap().forEach(this::put);
        return this;
    }

    /** Declares a tensor with dims in ggml order ({@code dims[0]} = row length). */
    public GgufWriter addTensor(String name, GgmlType type, long... dims) {
        guard(() -> {
            requireState(State.DECLARING, "declare tensors");
            Objects.requireNonNull(type, "type");
            int nameBytes = name == null ? 0 : new GgufEncoder().utf8(name, "tensor name '" + name + "'").length;
            if (nameBytes == 0 || nameBytes > GgufFile.MAX_TENSOR_NAME_BYTES) {
                throw new IllegalArgumentException("tensor name '" + name + "' is " + nameBytes
                        + " bytes of UTF-8; it must be 1.." + GgufFile.MAX_TENSOR_NAME_BYTES);
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' is declared twice");
            }
            long n = Dims.elements(name, dims);
            if (dims[0] % type.blockSize() != 0) {
                throw new IllegalArgumentException("tensor '" + name + "': row length " + dims[0]
                        + " is not a multiple of " + type + "'s block size " + type.blockSize());
            }
            tensors.add(new Declared(name, type, dims.clone(), type.byteSize(n)));
            names.add(name);
        });
        return this;
    }

    /** Declares a tensor of an outer-first {@link Shape}; its last dimension becomes ggml {@code dims[0]}. */
    public GgufWriter addTensor(String name, GgmlType type, Shape shape) {
        return addTensor(name, type, ggmlDims(shape));
    }

    /**
     * Writes the next tensor's bytes from {@code data} (any segment: mapped, native or heap; its bytes are
     * copied as they lie in memory), which must hold exactly the declared size.
     */
    public void writeTensor(String name, MemorySegment data) throws IOException {
        writeTensor(name, data.byteSize(), out -> {
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(COPY_BUFFER, Math.max(1, data.byteSize())));
            MemorySegment bufSegment = MemorySegment.ofBuffer(buf);
            for (long at = 0; at < data.byteSize(); at += buf.capacity()) {
                int n = (int) Math.min(buf.capacity(), data.byteSize() - at);
                MemorySegment.copy(data, at, bufSegment, 0, n);
                buf.clear().limit(n);
                writeFully(out, buf);
            }
        });
    }

    /** Writes the next tensor's bytes from the remaining bytes of {@code data} (its position is not moved). */
    public void writeTensor(String name, ByteBuffer data) throws IOException {
        ByteBuffer view = data.duplicate();
        writeTensor(name, view.remaining(), out -> writeFully(out, view));
    }

    public void writeTensor(String name, byte[] data) throws IOException {
        writeTensor(name, ByteBuffer.wrap(data));
    }

    /** Writes the next tensor's bytes by calling {@code writer}, which must write exactly the declared size. */
    public void writeTensor(String name, TensorDataWriter writer) throws IOException {
        writeTensor(name, -1, writer);
    }

    private void writeTensor(String name, long knownSize, TensorDataWriter writer) throws IOException {
        guardIo(() -> {
            if (state == State.DECLARING) {
                writeHeader();
            }
            requireState(State.WRITING_DATA, "write tensor data");
            if (next >= tensors.size()) {
                throw new IllegalStateException("tensor '" + name + "' was not declared; all " + tensors.size() + " are written");
            }
            Declared t = tensors.get(next);
            if (!t.name().equals(name)) {
                throw new IllegalStateException("tensor '" + t.name() + "' is next in declaration order, not '" + name + "'");
            }
            if (knownSize >= 0 && knownSize != t.byteSize()) {
                throw new IllegalArgumentException("tensor '" + name + "' is declared as " + t.byteSize() + " bytes but the data has " + knownSize);
            }
            CountingChannel counted = new CountingChannel(channel, t.byteSize(), name);
            writer.writeTo(counted);
            if (counted.written != t.byteSize()) {
                throw new IllegalArgumentException("tensor '" + name + "' is declared as " + t.byteSize() + " bytes but " + counted.written + " were written");
            }
            writeZeros(padding(t.byteSize()));
            next++;
        });
    }

    /** Writes the header if no tensor data was written yet, checks every tensor was written, and moves the file into place. */
    public void finish() throws IOException {
        guardIo(() -> {
            if (state == State.DECLARING) {
                writeHeader();
            }
            requireState(State.WRITING_DATA, "finish");
            if (next < tensors.size()) {
                throw new IllegalStateException("tensor '" + tensors.get(next).name() + "' and " + (tensors.size() - next - 1)
                        + " after it were declared but never written");
            }
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            state = State.FINISHED;
        });
    }

    /** Discards the temporary file unless {@link #finish()} succeeded. Idempotent. */
    @Override
    public void close() throws IOException {
        if (state != State.FINISHED && state != State.DEAD) {
            abort();
        }
    }

    private void writeHeader() throws IOException {
        GgufEncoder e = new GgufEncoder();
        e.bytes(GgufReader.MAGIC);
        e.u32(VERSION);
        e.u64(tensors.size());
        e.u64(metadata.size());
        for (Map.Entry<String, GgufValue> kv : metadata.entrySet()) {
            String what = "key '" + kv.getKey() + "'";
            e.string(kv.getKey(), what);
            e.value(kv.getValue(), what);
        }
        long offset = 0;
        for (Declared t : tensors) {
            e.string(t.name(), "tensor name");
            e.u32(t.dims().length);
            for (long d : t.dims()) {
                e.u64(d);
            }
            e.u32(t.type().id());
            e.u64(offset);
            offset = Math.addExact(offset, Math.addExact(t.byteSize(), padding(t.byteSize())));
        }
        writeFully(channel, ByteBuffer.wrap(e.toByteArray()));
        if (!tensors.isEmpty()) {
            writeZeros(padding(e.size())); // a file without tensors has no data section to align (as gguf-py writes it)
        }
        state = State.WRITING_DATA;
    }

    private long padding(long size) {
        return -size & (alignment - 1);
    }

    private void writeZeros(long n) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(n, 1 << 16));
        for (long left = n; left > 0; left -= zeros.capacity()) {
            zeros.clear().limit((int) Math.min(left, zeros.capacity()));
            writeFully(channel, zeros);
        }
    }

    /** Writes all of {@code b}, however many calls the channel needs. */
    static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static int checkAlignment(GgufValue v) {
        if (!(v instanceof GgufValue.Scalar s) || s.type() != GgufValueType.UINT32) {
            throw new IllegalArgumentException(GgufFile.KEY_ALIGNMENT + " must be a UINT32, not " + GgufMetadata.describeType(v));
        }
        long a = s.asLong();
        if (a == 0 || (a & (a - 1)) != 0 || a > (1 << 30)) {
            throw new IllegalArgumentException(GgufFile.KEY_ALIGNMENT + " " + a + " is not a power of two in 1..2^30");
        }
        return (int) a;
    }

    private void requireState(State wanted, String action) {
        if (state != wanted) {
            throw new IllegalStateException("cannot " + action + ": the writer is "
                    + (state == State.DECLARING ? "still declaring" : "already writing tensor data"));
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void guard(Runnable action) {
        try {
            guardIo(action::run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code action}; on any failure deletes the temporary file and leaves the writer dead. */
    private void guardIo(IoAction action) throws IOException {
        if (state == State.DEAD || state == State.FINISHED) {
            throw new IllegalStateException("the writer is " + (state == State.FINISHED ? "finished" : "closed (after an error or without finish())"));
        }
        try {
            action.run();
        } catch (IOException | RuntimeException | Error e) {
            try {
                abort();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void abort() throws IOException {
        state = State.DEAD;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Passes writes through to the file, counting them and refusing any byte past the declared size. */
    private static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel out;
        private final long limit;
        private final String name;
        long written;

        CountingChannel(WritableByteChannel out, long limit, String name) {
            this.out = out;
            this.limit = limit;
            this.name = name;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (src.remaining() > limit - written) {
                throw new IllegalArgumentException("tensor '" + name + "' is declared as " + limit
                        + " bytes but more are being written");
            }
            int n = out.write(src);
            written += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        /** The tensor writer must not close the file; closing this view does nothing. */
        @Override
        public void close() {}
    }
}
