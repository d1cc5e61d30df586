package io.bitnet4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints a failed command's error as one line ("bitnet4j run: &lt;message&gt;") and returns exit code 1. */
final class ErrorHandler implements IExecutionExceptionHandler {

    static boolean debug() {
        return "1".equals(System.getenv("BITNET4J_DEBUG")) || Boolean.getBoolean("bitnet4j.debug");
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        String message = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        if (debug()) {
            ex.printStackTrace(cmd.getErr());
        } else if (!(ex instanceof IllegalArgumentException) && !(ex instanceof java.io.IOException)) {
            cmd.getErr().println("(an internal error: rerun with BITNET4J_DEBUG=1 for the stack trace)");
        }
        return 1;
    }
}
