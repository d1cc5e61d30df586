package io.bitnet4j.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Generated text on stdout: always UTF-8 whatever the platform's console encoding (the model's text is Unicode;
 * {@code ?} for every non-ASCII character under a C locale would lose it), flushed chunk by chunk so it streams.
 */
final class TextOut {
    private TextOut() {}

    /** A UTF-8 writer over the current {@code System.out}, flushing on println. */
    static PrintWriter stdout() {
        return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    }

    /** Writes a chunk and flushes it, for streaming. */
    static void stream(PrintWriter out, String chunk) {
        out.print(chunk);
        out.flush();
    }
}
