package io.bitnet4j.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints a command's warnings to stderr, one line each: {@code bitnet4j convert: warning: ...}. */
final class Warnings implements Consumer<String> {
    private final PrintWriter err;
    private final String command;
    private int count;

    Warnings(PrintWriter err, String command) {
        this.err = err;
        this.command = command;
    }

    @Override
    public void accept(String message) {
        err.println("bitnet4j " + command + ": warning: " + message);
        err.flush();
        count++;
    }

    int count() {
        return count;
    }
}
