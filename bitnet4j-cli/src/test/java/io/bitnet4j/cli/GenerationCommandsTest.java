package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bitnet4j.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} and {@code chat} on stories260K against llama.cpp's greedy generation, and the missing-model message. */
class GenerationCommandsTest {
    private static final String STORIES = "models/stories260K/";

    @TempDir
    Path dir;

    @Test
    void runGreedyFromBosPrintsLlamaCppsText() throws IOException {
        String model = Fixtures.require(STORIES + "stories260K.gguf").toString();
        String expected = Files.readString(Fixtures.require(STORIES + "greedy200.txt"));
        MainTest.Result r = MainTest.run("run", "-m", model, "-n", "200", "--temp", "0", "-t", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(expected + System.lineSeparator(), r.out());
        assertTrue(r.err().contains("load time        = "), r.err());
        assertTrue(r.err().matches("(?s).*prompt eval time = +[0-9.]+ ms / +1 tokens .*tokens per second.*"), r.err());
        assertTrue(r.err().matches("(?s).*eval time += +[0-9.]+ ms / +200 runs .*tokens per second.*"), r.err());
        assertTrue(r.err().contains("finished: length after 200 tokens"), r.err());
    }

    @Test
    void runEchoesThePromptAndStopsAtAStopString() throws IOException {
        String model = Fixtures.require(STORIES + "stories260K.gguf").toString();
        String greedy = Files.readString(Fixtures.require(STORIES + "greedy200.txt"));
        MainTest.Result r = MainTest.run("run", "-m", model, "-p", "Once upon a time", "-n", "50", "--temp", "0", "--stop", "girl");
        assertEquals(0, r.code(), r.err());
        // from BOS the model writes " Once upon a time, there was a little girl": the same story once prompted with its start
        assertEquals("Once upon a time" + greedy.substring(" Once upon a time".length(), greedy.indexOf("girl")) + System.lineSeparator(),
                r.out());
        assertTrue(r.err().contains("finished: stop"), r.err());
        MainTest.Result quiet = MainTest.run("run", "-m", model, "-p", "Once upon a time", "-n", "3", "--temp", "0", "--no-display-prompt");
        assertTrue(!quiet.out().startsWith("Once"), quiet.out());
    }

    @Test
    void seededRunsRepeat() {
        String model = Fixtures.require(STORIES + "stories260K.gguf").toString();
        MainTest.Result a = MainTest.run("run", "-m", model, "-n", "30", "--seed", "7");
        MainTest.Result b = MainTest.run("run", "-m", model, "-n", "30", "--seed", "7");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(a.err().contains("seed: 7"), a.err());
    }

    @Test
    void aPromptLongerThanTheContextIsOneClearLine() {
        String model = Fixtures.require(STORIES + "stories260K.gguf").toString();
        MainTest.Result r = MainTest.run("run", "-m", model, "-c", "8", "-p", "Once upon a time there was a little girl");
        assertEquals(1, r.code());
        assertTrue(r.err().lines().anyMatch(l -> l.matches("bitnet4j run: the prompt is \\d+ tokens but the context holds 8; .*")), r.err());
    }

    @Test
    void chatOverPipedInputWithReset() {
        String model = Fixtures.require(STORIES + "stories260K.gguf").toString();
        String[] args = {"chat", "-m", model, "--temp", "0", "-n", "12", "-t", "2", "--system", "Tell stories."};
        MainTest.Result session = withStdin("Once upon a time\nWhat then?\n/reset\nThe dog\n/exit\nnot read\n", args);
        assertEquals(0, session.code(), session.err());
        List<String> replies = session.out().lines().toList();
        assertEquals(3, replies.size(), session.out());
        assertTrue(session.err().contains("(conversation reset)"), session.err());
        // after /reset the conversation is as new: the same reply as a chat that starts with that message
        MainTest.Result fresh = withStdin("The dog\n", args);
        assertEquals(List.of(replies.get(2)), fresh.out().lines().toList());
        MainTest.Result first = withStdin("Once upon a time\n", args);
        assertEquals(List.of(replies.get(0)), first.out().lines().toList());
        // end of input ends the chat like /exit
        assertEquals(0, withStdin("", args).code());
    }

    @Test
    void aChatPreparedWhileItsUserTypesRepliesTheSame() {
        String model = Fixtures.require(STORIES + "stories260K.gguf").toString();
        String[] args = {"chat", "-m", model, "--temp", "0", "-n", "12", "-t", "2", "--system", "Tell stories."};
        String input = "Once upon a time\nWhat then?\n";
        MainTest.Result piped = withStdin(input, args); // input waiting at the start: no preparation
        // input that comes later, as a user types it: the chat prefills the first turn's opening and rehearses first
        InputStream old = System.in;
        MainTest.Result typed;
        try {
            System.setIn(new LateInput(input.getBytes(StandardCharsets.UTF_8), 300));
            typed = MainTest.run(args);
        } finally {
            System.setIn(old);
        }
        assertEquals(0, typed.code(), typed.err());
        assertEquals(2, piped.out().lines().count(), piped.out());
        assertEquals(piped.out(), typed.out());
    }

    /** Bytes that become readable only {@code delayMillis} after the first read or availability check. */
    private static final class LateInput extends InputStream {
        private final ByteArrayInputStream bytes;
        private final long delayMillis;
        private long readyAt;

        LateInput(byte[] data, long delayMillis) {
            this.bytes = new ByteArrayInputStream(data);
            this.delayMillis = delayMillis;
        }

        @Override
        public synchronized int available() {
            return ready() ? bytes.available() : 0;
        }

        @Override
        public synchronized int read() {
            waitUntilReady();
            return bytes.read();
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            waitUntilReady();
            return bytes.read(b, off, len);
        }

        private boolean ready() {
            if (readyAt == 0) {
                readyAt = System.nanoTime() + delayMillis * 1_000_000;
            }
            return System.nanoTime() >= readyAt;
        }

        private void waitUntilReady() {
            while (!ready()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Test
    void withoutAModelTheMessageSaysHowToGetOne() throws IOException {
        assumeTrue(System.getenv(DefaultModel.ENV) == null, "skipped: $" + DefaultModel.ENV + " is set here");
        String old = System.getProperty("bitnet4j.home");
        System.setProperty("bitnet4j.home", dir.toString());
        try {
            for (String command : new String[] {"run", "chat"}) {
                MainTest.Result r = command.equals("run") ? MainTest.run("run", "-p", "x") : MainTest.run("chat");
                assertEquals(1, r.code(), command);
                assertTrue(r.err().startsWith("bitnet4j " + command + ": no model given and no default model found."), r.err());
                for (String hint : new String[] {"-m FILE", "./bitnet4j synth", "./bitnet4j convert", dir.resolve("models/default.gguf").toString()}) {
                    assertTrue(r.err().contains(hint), command + " message lacks " + hint + ":\n" + r.err());
                }
            }
            Path stories = Fixtures.require(STORIES + "stories260K.gguf");
            Files.createDirectories(dir.resolve("models"));
            Files.copy(stories, dir.resolve("models/default.gguf"));
            MainTest.Result r = MainTest.run("run", "-n", "5", "--temp", "0");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("model: default.gguf"), r.err());
        } finally {
            if (old == null) {
                System.clearProperty("bitnet4j.home");
            } else {
                System.setProperty("bitnet4j.home", old);
            }
        }
    }

    private static MainTest.Result withStdin(String input, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return MainTest.run(args);
        } finally {
            System.setIn(old);
        }
    }
}
