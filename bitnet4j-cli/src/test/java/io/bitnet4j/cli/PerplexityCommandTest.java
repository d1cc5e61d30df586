package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code perplexity} prints what llama-perplexity printed for stories260K on the TinyStories sample. */
class PerplexityCommandTest {

    @Test
    void printsLlamaPerplexitysLines() {
        MainTest.Result r = run("-c", "128", "-b", "128");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\\R");
        // the running values and the final line, to the digits llama-perplexity prints (last digit ±1: summation order)
        assertTrue(lines[0].matches("\\[1]4\\.0949,\\[2]3\\.7354,.*\\[13]7\\.3471,\\[14]6\\.8466,"), lines[0]);
        assertTrue(lines[1].matches("Final estimate: PPL = 6\\.8466 \\+/- 0\\.7423[345]"), lines[1]);
        assertTrue(r.err().contains("1883 tokens, 14 chunks of 128, 882 scored"), r.err());
    }

    @Test
    void jsonHasTheRunningAndFinalValues() throws IOException {
        MainTest.Result r = run("-c", "256", "-b", "256", "--json", "--chunks", "3");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(256, json.get("n_ctx").asInt());
        assertEquals(3, json.get("n_chunks").asInt());
        double[] expected = {4.234, 6.6989, 7.5132}; // llama-perplexity -c 256, first three chunks
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], json.get("running_ppl_after_each_chunk").get(i).asDouble(), 1e-4 * expected[i]);
        }
        assertEquals(json.get("running_ppl_after_each_chunk").get(2).asDouble(), json.get("final_ppl").asDouble());
        assertEquals(3 * 127, json.get("scored_tokens").asInt());
    }

    @Test
    void aTextTooShortForTheContextIsOneClearLine() {
        MainTest.Result r = run("-c", "1024");
        assertEquals(1, r.code());
        assertTrue(r.err().lines().anyMatch(l -> l.equals(
                "bitnet4j perplexity: the text is 1883 tokens; perplexity with a context of 1024 needs at least 2048 "
                        + "(use a shorter context or a longer text)")), r.err());
    }

    private static MainTest.Result run(String... options) {
        String model = Fixtures.require("models/stories260K/stories260K.gguf").toString();
        String text = Fixtures.require("text/tinystories_sample.txt").toString();
        String[] args = new String[options.length + 7];
        System.arraycopy(new String[] {"perplexity", "-m", model, "-f", text, "-t", "2"}, 0, args, 0, 7);
        System.arraycopy(options, 0, args, 7, options.length);
        return MainTest.run(args);
    }
}
