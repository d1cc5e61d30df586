package io.bitnet4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.testing.Fixtures;
import io.bitnet4j.tokenizer.Tokenizer;
import io.bitnet4j.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Perplexity of stories260K on the TinyStories sample against llama-perplexity's own output
 * ({@code models/stories260K/perplexity.json}): the running value after every chunk, the final value and its
 * uncertainty, each to 1e-4 relative (llama-perplexity prints 4 and 5 decimals; we agree to those digits within one unit).
 */
class PerplexityTest {
    private static final double RELATIVE = 1e-4;

    @ParameterizedTest(name = "-c {0}")
    @CsvSource({"128, 0", "256, 1"})
    void stories260KMatchesLlamaPerplexity(int nCtx, int run) throws IOException {
        String json = Files.readString(Fixtures.require("models/stories260K/perplexity.json"));
        String text = Files.readString(Fixtures.require("text/tinystories_sample.txt"));
        String runJson = json.split("\"cmd\"")[run + 1];
        List<Double> expectedRunning = numbers(runJson.substring(runJson.indexOf("running_ppl_after_each_chunk")));
        double expectedPpl = number(runJson, "final_ppl");
        double expectedError = number(runJson, "final_ppl_stderr");
        try (GgufFile f = GgufFile.open(Fixtures.require("models/stories260K/stories260K.gguf"))) {
            Tokenizer tokenizer = Tokenizers.fromGguf(f.metadata());
            List<Double> seen = new ArrayList<>();
            PerplexityResult r = new Perplexity(Model.load(f), tokenizer, SessionOptions.defaults().withThreads(2))
                    .evaluate(text, nCtx, nCtx, -1, seen::add);
            assertEquals(1883, r.textTokens(), "tokens of the text, BOS included (perplexity.json's method)");
            assertEquals(expectedRunning.size(), r.chunks());
            assertEquals(r.runningPerplexity(), seen);
            for (int i = 0; i < expectedRunning.size(); i++) {
                assertEquals(expectedRunning.get(i), r.runningPerplexity().get(i), RELATIVE * expectedRunning.get(i), "chunk " + (i + 1));
            }
            assertEquals(expectedPpl, r.perplexity(), RELATIVE * expectedPpl);
            assertEquals(expectedError, r.standardError(), RELATIVE * expectedError);
            assertEquals(r.chunks() * (nCtx - nCtx / 2 - 1), r.scoredTokens());
        }
    }

    private static List<Double> numbers(String from) {
        String list = from.substring(from.indexOf('[') + 1, from.indexOf(']'));
        List<Double> out = new ArrayList<>();
        for (String s : list.split(",")) {
            out.add(Double.parseDouble(s.trim()));
        }
        return out;
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([0-9.eE+-]+)").matcher(json);
        assertTrue(m.find(), key);
        return Double.parseDouble(m.group(1));
    }
}
