package io.bitnet4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.BitNet;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.generate.Conversation;
import io.bitnet4j.generate.GenerationResult;
import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "Running models" Java example, verbatim between the markers (checked against README.md), run on
 * stories260K with its output captured.
 */
class RunningModelsReadmeTest {

    @Test
    void readmeExampleRunsAndIsTheReadmesText() throws IOException {
        Path file = Fixtures.require("models/stories260K/stories260K.gguf");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        GenerationResult first;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // README example begins
            try (LoadedModel model = BitNet.load(file)) {
                GenerationSettings settings = GenerationSettings.defaults().withMaxTokens(64);
                GenerationResult r = model.generate("Once upon a time", settings, System.out::print);
                System.out.printf("%n[%s after %d tokens, %.1f tokens/s]%n", r.finishReason(), r.generatedTokens(),
                        r.timings().generationTokensPerSecond());

                try (Conversation chat = model.newChat("You are a helpful assistant.")) {
                    chat.send("Hi! Who are you?", settings, System.out::print);
                    chat.send("Tell me more.", settings, System.out::print);   // the first turn's KV cache is reused
                }
            }
            // README example ends
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).+\\R\\[LENGTH after 64 tokens, [0-9.]+ tokens/s]\\R.+"), out);
        assertEquals(exampleFromTest(), exampleFromReadme());
    }

    /** The lines between the markers in this file, without the test's extra indentation. */
    private static List<String> exampleFromTest() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/io/bitnet4j/docs/RunningModelsReadmeTest.java"));
        int from = lines.indexOf("            // README example begins") + 1;
        int to = lines.indexOf("            // README example ends");
        return lines.subList(from, to).stream().map(l -> l.isEmpty() ? l : l.substring(12)).toList();
    }

    /** The Java block of the README's "Running models" section. */
    private static List<String> exampleFromReadme() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int section = lines.indexOf("## Running models");
        int from = lines.subList(section, lines.size()).indexOf("```java") + section + 1;
        int to = lines.subList(from, lines.size()).indexOf("```") + from;
        return lines.subList(from, to);
    }
}
