package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's contract: help everywhere, clear errors, exit codes. */
class MainTest {

    /** Runs the CLI with stdout and stderr captured. */
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEveryCommand() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            assertTrue(r.out().contains(name), "--help does not list " + name + ":\n" + r.out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Result r = run(name, "--help");
            assertEquals(0, r.code(), name + " --help failed: " + r.err());
            assertTrue(r.out().startsWith("Usage: bitnet4j " + name), name + " --help printed:\n" + r.out());
        }
    }

    @Test
    void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
        assertEquals(java.util.Set.of("run"), Main.commandLine("run", "-p", "x").getSubcommands().keySet());
        assertEquals(Main.commandLine().getSubcommands().keySet(), Main.commandLine("help", "run").getSubcommands().keySet());
        assertEquals(Main.commandLine().getSubcommands().keySet(), Main.commandLine("rnu").getSubcommands().keySet());
        assertEquals(15, Main.commandLine().getSubcommands().size());
        Result typo = run("rnu");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("run"), "a typo still gets the suggestion: " + typo.err());
        Result help = run("help", "bench");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: bitnet4j bench"), help.out());
    }

    @Test
    void unknownOptionIsAUsageErrorNotAStackTrace() {
        Result r = run("run", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Result r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }

    @Test
    void versionNamesTheJvm() {
        Result r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("bitnet4j") && r.out().contains("Java " + Runtime.version().feature()), r.out());
    }
}
