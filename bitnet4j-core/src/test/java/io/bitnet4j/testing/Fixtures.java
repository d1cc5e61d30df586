package io.bitnet4j.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the read-only peer fixtures in {@code ../shared/fixtures} beside the project root.
 *
 * <p>The build passes the location as the system property {@code bitnet4j.shared}; without it we
 * walk up from the working directory. A test that needs a fixture calls {@link #require(String)},
 * which <em>skips</em> the test with a message when the folder is absent (a machine without the
 * shared data) rather than letting it pass silently.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The fixtures folder, or null if it cannot be found. */
    public static Path root() {
        String prop = System.getProperty("bitnet4j.shared");
        if (prop != null) {
            Path p = Path.of(prop, "fixtures");
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolveSibling("shared").resolve("fixtures");
            if (Files.isDirectory(p)) {
                return p.normalize();
            }
        }
        return null;
    }

    /** The fixture file or folder at {@code relative}; skips the calling test if it is missing. */
    public static Path require(String relative) {
        Path root = root();
        assumeTrue(root != null, "skipped: ../shared/fixtures not found (set -Dbitnet4j.shared=DIR); peer fixture tests need it");
        Path p = root.resolve(relative);
        assumeTrue(Files.exists(p), "skipped: fixture " + p + " is missing");
        return p;
    }

    /** Reads a raw little-endian float32 file. */
    public static float[] readF32(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Reads a whole file. */
    public static byte[] readBytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
