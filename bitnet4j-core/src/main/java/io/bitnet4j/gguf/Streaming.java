package io.bitnet4j.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** What the codecs share: walking a tensor in chunks of whole rows, range checks, copies and writes. */
final class Streaming {
    private Streaming() {}

    /** Something done with rows {@code [firstRow, firstRow + count)}. */
    @FunctionalInterface
    interface ChunkAction {
        void accept(long firstRow, int count) throws IOException;
    }

    /** Work on rows {@code [firstRow, firstRow + count)} that may run on any thread. */
    @FunctionalInterface
    interface ChunkWork<T> {
        T apply(long firstRow, int count);
    }

    /** Receives the results of {@link ChunkWork} in row order, on the calling thread. */
    @FunctionalInterface
    interface ChunkSink<T> {
        void accept(T result) throws IOException;
    }

    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "bitnet4j-codec");
        t.setDaemon(true);
        return t;
    });

    /**
     * Calls {@code action} on consecutive chunks covering all {@code rows}: about {@link TensorCodec#CHUNK_ELEMENTS}
     * elements each, at least one row, and (when {@code alignElements} &gt; 1) a multiple of that many elements
     * except possibly the last chunk.
     */
    static void forEachChunk(long rows, long rowLength, long alignElements, ChunkAction action) throws IOException {
        long per = Math.max(1, TensorCodec.CHUNK_ELEMENTS / rowLength);
        if (alignElements > 1) {
            long step = alignElements / gcd(alignElements, rowLength); // rows per aligned unit
            per = Math.max(step, per - per % step);
        }
        if (per * rowLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("rows of " + rowLength + " elements are too long to stream in chunks");
        }
        for (long r = 0; r < rows; r += per) {
            action.accept(r, (int) Math.min(per, rows - r));
        }
    }

    /**
     * Like {@link #forEachChunk}, but runs {@code work} on the chunks in parallel (one thread per core, a few chunks
     * ahead) and hands the results to {@code sink} in row order on the calling thread, so that writes stay sequential.
     * {@code work} must only read shared state. The first failure is rethrown as it was thrown.
     */
    static <T> void mapChunks(long rows, long rowLength, long alignElements, ChunkWork<T> work, ChunkSink<T> sink) throws IOException {
        Deque<Future<T>> inFlight = new ArrayDeque<>();
        try {
            forEachChunk(rows, rowLength, alignElements, (first, count) -> {
                if (inFlight.size() >= 2 * THREADS) {
                    sink.accept(result(inFlight.poll()));
                }
                inFlight.add(POOL.submit(() -> work.apply(first, count)));
            });
            while (!inFlight.isEmpty()) {
                sink.accept(result(inFlight.poll()));
            }
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    private static <T> T result(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Throws unless rows {@code [firstRow, firstRow + count)} lie inside a tensor of {@code rows} rows. */
    static void requireRows(String name, long rows, long firstRow, int count) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows) {
            throw new IllegalArgumentException("tensor '" + name + "': rows " + firstRow + ".." + (firstRow + count - 1)
                    + " are not inside its " + rows + " rows");
        }
    }

    /** Throws unless {@code out} can hold {@code n} elements. */
    static int requireOut(String name, int outLength, long n) {
        if (n > outLength) {
            throw new IllegalArgumentException("tensor '" + name + "': " + n + " elements do not fit an array of " + outLength);
        }
        return (int) n;
    }

    /** Throws naming the tensor, row and column of the first value that is not finite or whose magnitude reaches {@code limit}. */
    static void requireEncodable(RowSource source, long firstRow, float[] x, float limit, String type) {
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (!Float.isFinite(v) || Math.abs(v) >= limit) {
                long row = firstRow + i / source.rowLength();
                long col = i % source.rowLength();
                String why = Float.isFinite(v) ? " is beyond the " + type + " range" : " is not finite";
                throw new IllegalArgumentException("tensor '" + source.name() + "': value " + v + " at row " + row + ", column " + col + why);
            }
        }
    }

    /** {@code length} bytes of {@code data} from {@code offset}, copied to the heap. */
    static byte[] copy(MemorySegment data, long offset, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, out, 0, length);
        return out;
    }

    /** Throws unless {@code data} has exactly the bytes a tensor of {@code n} elements of {@code type} takes. */
    static void requireSize(String name, GgmlType type, long[] dims, long n, MemorySegment data) {
        long need = type.byteSize(n);
        if (data.byteSize() != need) {
            throw new IllegalArgumentException("tensor '" + name + "' (" + type + " " + java.util.Arrays.toString(dims) + ") has "
                    + data.byteSize() + " bytes of data; it needs " + need);
        }
    }

    static void write(WritableByteChannel out, byte[] b, int offset, int length) throws IOException {
        GgufWriter.writeFully(out, ByteBuffer.wrap(b, offset, length));
    }
}
