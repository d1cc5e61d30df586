package io.bitnet4j.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a model file safely: into {@code TARGET.part}, resumed with an HTTP range request when a
 * {@code .part} is already there and the server supports ranges (from scratch when it answers the whole
 * file instead), checked against an expected SHA-256 and for the GGUF magic, and only then renamed to
 * the target in one atomic step, so a target file is always complete.
 *
 * <p>HTTP redirects are followed (Hugging Face sends downloads on to a CDN), except from https to http.
 * The timeout bounds the connection, the wait for the response headers, and every pause in the body; a
 * download that stops half-way keeps its {@code .part} and says to run again to resume. A failed
 * checksum or a non-GGUF answer (typically an HTML error or login page) deletes the {@code .part}, since
 * resuming it could never succeed. {@code file:} URLs are copied the same way, which is what the tests
 * and offline machines use.
 */
public final class ModelDownloader {
    /** Told of the bytes so far and the total size ({@code -1} while unknown), once at the start and after each block. */
    @FunctionalInterface
    public interface Listener {
        void progress(long done, long total);
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int BUFFER = 1 << 16;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIABLE_RANGE = Pattern.compile("bytes \\*/(\\d+)");
    private static final byte[] GGUF_MAGIC = {'G', 'G', 'U', 'F'};

    /** The rest of a file as a stream that starts at byte {@code offset}, of {@code total} bytes in all (-1 unknown). */
    private record Opened(InputStream body, long offset, long total) {}

    private final Duration timeout;
    private final HttpClient client;

    public ModelDownloader() {
        this(DEFAULT_TIMEOUT);
    }

    /** A downloader that gives up on a connection, a response or a stalled body after {@code timeout}. */
    public ModelDownloader(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the download timeout must be positive, not " + timeout);
        }
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(timeout).build();
    }

    /**
     * Downloads {@code request.source()} to {@code request.target()} (see the class comment).
     *
     * @throws FileAlreadyExistsException if the target exists and the request does not allow overwriting
     * @throws DownloadException for an HTTP error, a timeout, a broken connection, a checksum mismatch or a
     *     non-GGUF file
     * @throws NoSuchFileException for a {@code file:} URL that names no file
     */
    public DownloadResult download(DownloadRequest request, Listener listener) throws IOException {
        Path target = request.target().toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(target + " is a directory; name the file to write");
        }
        refuseExisting(request, target);
        Path part = request.partFile();
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        Opened opened = request.source().getScheme().equalsIgnoreCase("file")
                ? openFile(request.source(), have) : openHttp(request.source(), have);
        MessageDigest sha = sha256();
        long bytes = transfer(opened, part, request.source(), sha, listener == null ? (d, t) -> {} : listener);
        String hex = HexFormat.of().formatHex(sha.digest());
        if (request.sha256() != null && !hex.equals(request.sha256())) {
            Files.deleteIfExists(part);
            throw new DownloadException("SHA-256 mismatch for " + request.source() + ": expected " + request.sha256() + ", got " + hex
                    + "; the download was deleted");
        }
        if (request.requireGguf()) {
            requireGguf(part, request.source());
        }
        refuseExisting(request, target);
        if (request.overwrite()) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return new DownloadResult(target, bytes, hex, opened.offset());
    }

    private static void refuseExisting(DownloadRequest request, Path target) throws FileAlreadyExistsException {
        if (!request.overwrite() && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists; allow overwriting (--force) to replace it");
        }
    }

    private static Opened openFile(URI source, long have) throws IOException {
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file (from " + source + ")");
        }
        long size = Files.size(file);
        long from = have <= size ? have : 0; // a .part longer than the source is not a prefix of it
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(from);
        return new Opened(Channels.newInputStream(channel), from, size);
    }

    private Opened openHttp(URI source, long have) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(source).timeout(timeout).header("User-Agent", "bitnet4j").GET();
        if (have > 0) {
            builder.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = send(builder.build(), source);
        int status = response.statusCode();
        String contentRange = response.headers().firstValue("Content-Range").orElse("");
        if (status == 200) {
            return new Opened(response.body(), 0, response.headers().firstValueAsLong("Content-Length").orElse(-1));
        }
        if (status == 206) {
            Matcher m = CONTENT_RANGE.matcher(contentRange);
            if (m.matches() && Long.parseLong(m.group(1)) == have) {
                return new Opened(response.body(), have, m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3)));
            }
            response.body().close();
            throw new DownloadException(source + " answered the request for bytes " + have + "- with Content-Range '" + contentRange
                    + "'; delete the .part file to start over", status, null);
        }
        response.body().close();
        if (status == 416 && have > 0) {
            Matcher m = UNSATISFIABLE_RANGE.matcher(contentRange);
            if (m.matches() && Long.parseLong(m.group(1)) == have) {
                return new Opened(InputStream.nullInputStream(), have, have); // the .part is already the whole file
            }
            return openHttp(source, 0); // the .part is longer than the file: it is not a prefix of it
        }
        throw new DownloadException(httpError(status, source), status, null);
    }

    private HttpResponse<InputStream> send(HttpRequest request, URI source) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new DownloadException("could not connect to " + source.getHost() + " within " + seconds(timeout), DownloadException.NO_STATUS, e);
        } catch (HttpTimeoutException e) {
            throw new DownloadException("no answer from " + source + " within " + seconds(timeout), DownloadException.NO_STATUS, e);
        } catch (ConnectException | UnknownHostException e) {
            throw new DownloadException("cannot connect to " + source.getHost() + (source.getPort() >= 0 ? ":" + source.getPort() : "")
                    + " (" + e + "); is the machine online?", DownloadException.NO_STATUS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the download of " + source + " was interrupted");
        }
    }

    /** Streams the body into {@code part} (appended when resuming) and returns the file's full size. */
    private long transfer(Opened opened, Path part, URI source, MessageDigest sha, Listener listener) throws IOException {
        if (opened.offset() > 0) {
            try (InputStream prefix = Files.newInputStream(part)) {
                digest(prefix, sha);
            }
        }
        OpenOption[] mode = opened.offset() > 0 ? new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                : new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING};
        long done = opened.offset();
        listener.progress(done, opened.total());
        try (InputStream in = opened.body(); OutputStream out = Files.newOutputStream(part, mode); IdleWatchdog dog = new IdleWatchdog(in, timeout)) {
            byte[] buffer = new byte[BUFFER];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw new DownloadException((dog.fired() ? "no data from " + source + " for " + seconds(timeout)
                            : "the connection to " + source + " broke (" + e.getMessage() + ")") + " after " + done + " bytes; "
                            + "run the download again to resume from " + part, DownloadException.NO_STATUS, e);
                }
                if (n < 0) {
                    break;
                }
                dog.touch();
                out.write(buffer, 0, n);
                sha.update(buffer, 0, n);
                done += n;
                listener.progress(done, opened.total());
            }
        }
        if (opened.total() >= 0 && done != opened.total()) {
            throw new DownloadException("the download of " + source + " stopped after " + done + " of " + opened.total()
                    + " bytes; run it again to resume from " + part);
        }
        return done;
    }

    private static void digest(InputStream in, MessageDigest sha) throws IOException {
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
    }

    /** Deletes {@code part} and throws unless it starts with the GGUF magic, saying what it looks like instead. */
    private static void requireGguf(Path part, URI source) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(part)) {
            head = in.readNBytes(64);
        }
        if (head.length >= 4 && java.util.Arrays.equals(head, 0, 4, GGUF_MAGIC, 0, 4)) {
            return;
        }
        Files.deleteIfExists(part);
        String text = new String(head, StandardCharsets.ISO_8859_1).strip();
        String looks = head.length == 0 ? "it is empty"
                : text.startsWith("<") && text.toLowerCase(Locale.ROOT).contains("html") ? "it is an HTML page (an error or login page?)"
                : "it starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(8, head.length));
        throw new DownloadException(source + " is not a GGUF file: " + looks + "; the download was deleted "
                + "(allow other formats to keep such files)");
    }

    private static String httpError(int status, URI source) {
        return switch (status) {
            case 404 -> "not found (HTTP 404): " + source + "; check the URL (for hf: the owner, repository and file name)";
            case 401, 403 -> "access denied (HTTP " + status + "): " + source
                    + "; the file may be gated or private, and bitnet4j sends no access token";
            default -> "HTTP " + status + " from " + source;
        };
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e); // every JDK must have it
        }
    }
}
