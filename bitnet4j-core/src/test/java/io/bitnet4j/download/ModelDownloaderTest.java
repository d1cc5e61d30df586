package io.bitnet4j.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.testing.LocalHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelDownloader} against a local HTTP server and file: URLs only. */
class ModelDownloaderTest {
    static final int SIZE = 300_000;
    @TempDir
    Path dir;
    LocalHttpServer server;
    byte[] model;
    Path target;

    @BeforeEach
    void start() throws IOException {
        server = LocalHttpServer.start();
        model = fakeGguf(SIZE, 1);
        target = dir.resolve("model.gguf");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** "GGUF" and seeded random bytes: the downloader checks the magic only. */
    static byte[] fakeGguf(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        System.arraycopy("GGUF".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        return b;
    }

    static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private DownloadResult download(URI uri) throws IOException {
        return new ModelDownloader().download(DownloadRequest.of(uri, target), null);
    }

    private Path part() {
        return DownloadRequest.of(server.uri("/x"), target).partFile();
    }

    @Test
    void downloadsTheWholeFileWithProgress() throws Exception {
        List<long[]> calls = new ArrayList<>();
        DownloadResult r = new ModelDownloader().download(DownloadRequest.of(server.serve("/m.gguf", model), target),
                (done, total) -> calls.add(new long[] {done, total}));
        assertArrayEquals(model, Files.readAllBytes(target));
        assertEquals(new DownloadResult(target, SIZE, sha256(model), 0), r);
        assertFalse(Files.exists(part()), "the .part was renamed");
        assertArrayEquals(new long[] {0, SIZE}, calls.getFirst());
        assertArrayEquals(new long[] {SIZE, SIZE}, calls.getLast());
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0], "progress never goes back");
        }
        assertEquals(List.of(""), server.rangeHeaders("/m.gguf"), "no Range for a fresh download");
    }

    @Test
    void resumesATruncatedPartWithARangeRequest() throws Exception {
        Files.write(part(), Arrays.copyOf(model, 123_457));
        DownloadResult r = download(server.serve("/m.gguf", model));
        assertArrayEquals(model, Files.readAllBytes(target));
        assertEquals(123_457, r.resumedFrom());
        assertEquals(sha256(model), r.sha256(), "the digest covers the resumed prefix too");
        assertEquals(List.of("bytes=123457-"), server.rangeHeaders("/m.gguf"));
        assertEquals(SIZE - 123_457, server.bytesSent("/m.gguf"), "only the rest was sent");
    }

    @Test
    void resumesThroughARedirect() throws IOException {
        server.serve("/cdn/m.gguf", model);
        Files.write(part(), Arrays.copyOf(model, 1000));
        DownloadResult r = download(server.redirect("/resolve/m.gguf", "/cdn/m.gguf"));
        assertArrayEquals(model, Files.readAllBytes(target));
        assertEquals(1000, r.resumedFrom());
        assertEquals(List.of("bytes=1000-"), server.rangeHeaders("/cdn/m.gguf"), "the Range header survives the redirect");
    }

    @Test
    void startsOverWhenTheServerIgnoresRanges() throws IOException {
        Files.write(part(), new byte[5000]); // not even a prefix of the file
        DownloadResult r = download(server.serveIgnoringRanges("/m.gguf", model));
        assertArrayEquals(model, Files.readAllBytes(target));
        assertEquals(0, r.resumedFrom());
    }

    @Test
    void aCompletePartFinishesOn416() throws IOException {
        Files.write(part(), model);
        DownloadResult r = download(server.serve("/m.gguf", model));
        assertArrayEquals(model, Files.readAllBytes(target));
        assertEquals(SIZE, r.resumedFrom());
        assertEquals(0, server.bytesSent("/m.gguf"));
    }

    @Test
    void aBrokenConnectionKeepsThePartAndTheNextRunResumes() throws IOException {
        URI uri = server.serveBreakingOnce("/m.gguf", model, 100_000);
        DownloadException e = assertThrows(DownloadException.class, () -> download(uri));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        assertFalse(Files.exists(target));
        long kept = Files.size(part());
        assertTrue(kept > 0 && kept <= 100_000, "kept " + kept);
        DownloadResult r = download(uri);
        assertEquals(kept, r.resumedFrom());
        assertArrayEquals(model, Files.readAllBytes(target));
    }

    @Test
    void checksumIsVerifiedBeforeTheRename() throws Exception {
        URI uri = server.serve("/m.gguf", model);
        String wrong = sha256(fakeGguf(SIZE, 2));
        DownloadException e = assertThrows(DownloadException.class,
                () -> new ModelDownloader().download(DownloadRequest.of(uri, target).withSha256(wrong), null));
        assertTrue(e.getMessage().contains("SHA-256 mismatch") && e.getMessage().contains(wrong), e.getMessage());
        assertFalse(Files.exists(target), "no final file");
        assertFalse(Files.exists(part()), "a corrupt part is not kept for resuming");
        new ModelDownloader().download(DownloadRequest.of(uri, target).withSha256(sha256(model).toUpperCase()), null);
        assertArrayEquals(model, Files.readAllBytes(target));
    }

    @Test
    void notFoundSaysSo() {
        URI missing = server.uri("/nope.gguf");
        DownloadException e = assertThrows(DownloadException.class, () -> download(missing));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("404") && e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(part()));
    }

    @Test
    void anHtmlPageIsNotAModel() throws IOException {
        byte[] page = "<!DOCTYPE html>\n<html><body>Please log in</body></html>".getBytes(StandardCharsets.UTF_8);
        URI uri = server.serve("/login", page);
        DownloadException e = assertThrows(DownloadException.class, () -> download(uri));
        assertTrue(e.getMessage().contains("not a GGUF file") && e.getMessage().contains("HTML"), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(part()));
        new ModelDownloader().download(DownloadRequest.of(uri, target).withRequireGguf(false), null);
        assertArrayEquals(page, Files.readAllBytes(target), "kept when any format is allowed");
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenAsked() throws IOException {
        URI uri = server.serve("/m.gguf", model);
        Files.writeString(target, "mine");
        assertThrows(FileAlreadyExistsException.class, () -> download(uri));
        assertEquals("mine", Files.readString(target));
        assertEquals(List.of(), server.rangeHeaders("/m.gguf"), "refused before any request");
        new ModelDownloader().download(DownloadRequest.of(uri, target).withOverwrite(true), null);
        assertArrayEquals(model, Files.readAllBytes(target));
    }

    @Test
    void aStalledBodyTimesOutAndKeepsThePart() {
        URI uri = server.serveStalling("/m.gguf", model, 70_000);
        ModelDownloader impatient = new ModelDownloader(Duration.ofMillis(300));
        DownloadException e = assertThrows(DownloadException.class, () -> impatient.download(DownloadRequest.of(uri, target), null));
        assertTrue(e.getMessage().contains("no data from"), e.getMessage());
        assertTrue(Files.exists(part()));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        URI uri = server.hang("/m.gguf");
        ModelDownloader impatient = new ModelDownloader(Duration.ofMillis(300));
        DownloadException e = assertThrows(DownloadException.class, () -> impatient.download(DownloadRequest.of(uri, target), null));
        assertTrue(e.getMessage().contains("no answer from"), e.getMessage());
    }

    @Test
    void fileUrlsAreCopiedAndResumed() throws IOException {
        Path source = dir.resolve("source.gguf");
        Files.write(source, model);
        Files.write(part(), Arrays.copyOf(model, 4096));
        DownloadResult r = download(source.toUri());
        assertEquals(4096, r.resumedFrom());
        assertArrayEquals(model, Files.readAllBytes(target));
        Files.delete(target);
        assertThrows(NoSuchFileException.class, () -> download(dir.resolve("missing.gguf").toUri()));
    }

    @Test
    void badRequestsAreRejected() {
        URI uri = server.uri("/m.gguf");
        assertThrows(IllegalArgumentException.class, () -> DownloadRequest.of(uri, target).withSha256("abc"));
        assertThrows(IllegalArgumentException.class, () -> DownloadRequest.of(uri, target).withSha256("g".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> DownloadRequest.of(URI.create("ftp://host/m.gguf"), target));
        assertThrows(IllegalArgumentException.class, () -> DownloadRequest.of(uri, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelDownloader(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ModelDownloader().download(DownloadRequest.of(uri, dir), null));
    }
}
