package io.bitnet4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file of the training run (checkpoint, loss CSV, loss curve) through a temporary file beside it and an atomic
 * rename, so an interrupted run never leaves a half-written file where a good one stood; the temporary file is removed
 * if writing fails.
 */
final class AtomicFile {
    /** Writes the content to the path it is given. */
    interface Content {
        void writeTo(Path temp) throws IOException;
    }

    private AtomicFile() {}

    static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            content.writeTo(temp);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
