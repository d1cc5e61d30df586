package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.testing.LocalHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download} against a local HTTP server: saving, resuming, refusing to overwrite, one-line errors. */
class DownloadCommandTest {
    @TempDir
    Path dir;
    LocalHttpServer server;
    byte[] model = new byte[50_000];
    URI uri;
    Path target;

    @BeforeEach
    void start() throws IOException {
        new SplittableRandom(5).nextBytes(model);
        System.arraycopy("GGUF".getBytes(StandardCharsets.US_ASCII), 0, model, 0, 4);
        server = LocalHttpServer.start();
        uri = server.serve("/m.gguf", model);
        target = dir.resolve("out.gguf");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void savesResumesAndReportsTheChecksum() throws Exception {
        Files.write(dir.resolve("out.gguf.part"), Arrays.copyOf(model, 20_000));
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(model));
        MainTest.Result r = MainTest.run("download", uri.toString(), "-o", target.toString(), "--sha256", sha);
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(model, Files.readAllBytes(target));
        assertTrue(r.out().contains("50,000 bytes (resumed after 20,000), sha256 " + sha), r.out());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        Files.writeString(target, "mine");
        MainTest.Result r = MainTest.run("download", uri.toString(), "-o", target.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("bitnet4j download: ") && r.err().contains("--force"), r.err());
        assertEquals("mine", Files.readString(target));
        assertEquals(0, MainTest.run("download", uri.toString(), "-o", target.toString(), "--force").code());
        assertArrayEquals(model, Files.readAllBytes(target));
    }

    @Test
    void errorsAreOneLine() {
        MainTest.Result missing = MainTest.run("download", server.uri("/missing.gguf").toString(), "-o", target.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("HTTP 404"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        MainTest.Result bad = MainTest.run("download", "hf:only-owner", "-o", target.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("hf:OWNER/REPO/FILE"), bad.err());
        MainTest.Result sha = MainTest.run("download", uri.toString(), "-o", target.toString(), "--sha256", "0".repeat(64));
        assertTrue(sha.err().contains("SHA-256 mismatch"), sha.err());
        assertFalse(Files.exists(target));
    }
}
