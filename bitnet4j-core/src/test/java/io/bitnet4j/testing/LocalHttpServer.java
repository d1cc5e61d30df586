package io.bitnet4j.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 for download tests (the build machine has no internet): serves byte arrays
 * with or without range support, redirects, 404 for any other path, and misbehaves on purpose (a
 * connection that breaks, a body that stalls, a request never answered). Records the Range headers and
 * the body bytes sent per path.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** Released on close, so that stalled and hanging handlers end. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, List<String>> ranges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();

    private LocalHttpServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.start();
    }

    public static LocalHttpServer start() throws IOException {
        return new LocalHttpServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /** The URL of {@code path} on this server (any path without a handler answers 404). */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Serves {@code content}, honouring {@code Range: bytes=N-} with 206 (and 416 past the end). */
    public URI serve(String path, byte[] content) {
        return handle(path, ex -> respond(ex, path, content, true, content.length));
    }

    /** Serves {@code content} with 200 whatever Range asks for. */
    public URI serveIgnoringRanges(String path, byte[] content) {
        return handle(path, ex -> respond(ex, path, content, false, content.length));
    }

    /** Serves {@code content} with ranges, but the first response breaks off after {@code breakAfter} bytes. */
    public URI serveBreakingOnce(String path, byte[] content, int breakAfter) {
        AtomicBoolean broken = new AtomicBoolean();
        return handle(path, ex -> respond(ex, path, content, true, broken.getAndSet(true) ? content.length : breakAfter));
    }

    /** Sends the headers and {@code stallAfter} bytes of {@code content}, then nothing until the server closes. */
    public URI serveStalling(String path, byte[] content, int stallAfter) {
        return handle(path, ex -> {
            respondPartly(ex, path, content, stallAfter);
            awaitClose();
        });
    }

    /** Never answers. */
    public URI hang(String path) {
        return handle(path, ex -> awaitClose());
    }

    /** Answers 302 to {@code toPath}. */
    public URI redirect(String path, String toPath) {
        return handle(path, ex -> {
            record(ex, path);
            ex.getResponseHeaders().set("Location", uri(toPath).toString());
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
    }

    /** The Range header of each request to {@code path} ("" when there was none), in order. */
    public List<String> rangeHeaders(String path) {
        return ranges.getOrDefault(path, List.of());
    }

    /** Body bytes sent for {@code path} over all requests. */
    public long bytesSent(String path) {
        AtomicLong n = sent.get(path);
        return n == null ? 0 : n.get();
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private URI handle(String path, Handler h) {
        server.createContext(path, ex -> {
            try {
                h.handle(ex);
            } finally {
                ex.close();
            }
        });
        return uri(path);
    }

    private void record(HttpExchange ex, String path) {
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(range == null ? "" : range);
    }

    /** Answers the request, sending at most {@code limit} bytes of the whole file's body (then breaking off). */
    private void respond(HttpExchange ex, String path, byte[] content, boolean ranged, int limit) throws IOException {
        record(ex, path);
        Matcher m = RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
        int from = 0;
        if (ranged && m.matches()) {
            from = (int) Math.min(Long.parseLong(m.group(1)), Integer.MAX_VALUE);
            if (from >= content.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        ex.sendResponseHeaders(from > 0 ? 206 : 200, content.length - from);
        write(ex.getResponseBody(), path, content, from, Math.max(from, Math.min(limit, content.length)));
    }

    private void respondPartly(HttpExchange ex, String path, byte[] content, int count) throws IOException {
        record(ex, path);
        ex.sendResponseHeaders(200, content.length);
        OutputStream out = ex.getResponseBody();
        write(out, path, content, 0, count);
        out.flush();
    }

    private void write(OutputStream out, String path, byte[] content, int from, int to) throws IOException {
        out.write(content, from, to - from);
        sent.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(to - from);
    }

    private void awaitClose() {
        try {
            closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
