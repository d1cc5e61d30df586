package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} on stories260K: the table, the JSON fields, {@code --compare} against a stand-in llama-bench, bad input. */
class BenchCommandTest {
    private static final String MODEL = "models/stories260K/stories260K.gguf";

    @TempDir
    Path dir;

    @Test
    void tablePrintsOneRowPerTestInLlamaBenchsOrder() {
        MainTest.Result r = MainTest.run("bench", "-m", model(), "-p", "8,16", "-n", "4", "-t", "1,2", "-r", "2");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("| llama ")).toList();
        assertEquals(6, rows.size(), r.out());
        String[] expected = {"| 1 | pp8 |", "| 1 | pp16 |", "| 1 | tg4 |", "| 2 | pp8 |", "| 2 | pp16 |", "| 2 | tg4 |"};
        for (int i = 0; i < expected.length; i++) {
            assertTrue(rows.get(i).contains(expected[i]) && rows.get(i).matches(".*\\| [0-9.]+ ± [0-9.]+ \\|$"), rows.get(i));
            assertTrue(rows.get(i).contains("bitnet4j fast"), rows.get(i));
        }
        assertTrue(r.out().lines().anyMatch(l -> l.equals("bitnet4j settings: numerics fast, KV cache f16, micro-batch 512,"
                + " weights as stored (no int8 copy)")), r.out());
    }

    @Test
    void jsonHasLlamaBenchsFieldNames() throws IOException {
        MainTest.Result r = MainTest.run("bench", "-m", model(), "-p", "8", "-n", "0", "-t", "1", "-r", "3", "--json",
                "--numerics", "exact");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("| llama F32 ") && l.contains("| pp8 |")), r.err()); // progress
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(1, json.size());
        JsonNode t = json.get(0);
        assertEquals(8, t.get("n_prompt").asInt());
        assertEquals(0, t.get("n_gen").asInt());
        assertEquals(1, t.get("n_threads").asInt());
        assertEquals(model(), t.get("model_filename").asText());
        assertEquals("llama F32", t.get("model_type").asText());
        assertEquals("llama.cpp", t.get("numerics").asText()); // exact = the model's peer
        assertEquals(false, t.get("int8_copy_of_f16").asBoolean());
        JsonNode samples = t.get("samples_ts");
        assertEquals(3, samples.size());
        double mean = (samples.get(0).asDouble() + samples.get(1).asDouble() + samples.get(2).asDouble()) / 3;
        assertEquals(mean, t.get("avg_ts").asDouble(), 1e-9 * mean);
        assertTrue(t.get("stddev_ts").asDouble() >= 0);
    }

    @Test
    void compareAlternatesWithLlamaBenchAndPrintsTheRatio() throws IOException {
        Path log = dir.resolve("calls.log");
        Path fake = fakeLlamaBench(log, "100.0");
        MainTest.Result r = MainTest.run("bench", "-m", model(), "-p", "8", "-n", "4", "-t", "1", "-r", "2", "--json",
                "--compare", fake.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.size());
        for (JsonNode t : json) {
            JsonNode peer = t.get("compare");
            assertEquals(100.0, peer.get("avg_ts").asDouble());
            assertEquals(2, peer.get("samples_ts").size());
            assertEquals(t.get("median_ts").asDouble() / 100.0, peer.get("ratio_of_medians").asDouble(), 1e-12);
        }
        // one llama-bench run per repetition (-r 1), same file and test
        List<String> calls = Files.readAllLines(log);
        String m = model();
        assertEquals(List.of("-m " + m + " -p 8 -n 0 -t 1 -r 1 -o json", "-m " + m + " -p 8 -n 0 -t 1 -r 1 -o json",
                "-m " + m + " -p 0 -n 4 -t 1 -r 1 -o json", "-m " + m + " -p 0 -n 4 -t 1 -r 1 -o json"), calls);

        MainTest.Result table = MainTest.run("bench", "-m", model(), "-p", "0", "-n", "4", "-t", "1", "-r", "1", "--compare",
                fake.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("\\| llama .*\\| tg4 \\| [0-9.]+ ± 0\\.00 \\| 100\\.00 ± 0\\.00 \\| [0-9.]+ \\|")),
                table.out());
    }

    @Test
    void aPeerThatPrintsNoResultIsOneClearLine() throws IOException {
        Path fake = script("echo 'not json'");
        MainTest.Result r = MainTest.run("bench", "-m", model(), "-p", "0", "-n", "2", "-t", "1", "-r", "1", "--compare", fake.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("did not print JSON"), r.err());
        Path failing = script("echo 'error: unknown argument' >&2; exit 3");
        r = MainTest.run("bench", "-m", model(), "-p", "0", "-n", "2", "-t", "1", "-r", "1", "--compare", failing.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("exit code 3") && r.err().contains("error: unknown argument"), r.err());
    }

    @Test
    void badInputIsAClearMessage() {
        assertError(1, "no such model file", "bench", "-m", dir.resolve("missing.gguf").toString());
        assertError(1, "nothing to measure", "bench", "-m", model(), "-p", "0", "-n", "0");
        assertError(1, "-p value -5 is out of range", "bench", "-m", model(), "-p", "-5");
        assertError(1, "-t value 0 is out of range", "bench", "-m", model(), "-t", "0");
        assertError(1, "-r must be at least 1", "bench", "-m", model(), "-r", "0");
        assertError(2, "'x'", "bench", "-m", model(), "-p", "128,x");
        assertError(1, "--numerics must be", "bench", "-m", model(), "--numerics", "slow");
        assertError(1, "is not an executable file", "bench", "-m", model(), "--compare", dir.resolve("nope").toString());
    }

    private static void assertError(int code, String message, String... args) {
        MainTest.Result r = MainTest.run(args);
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    /** A llama-bench stand-in: logs its arguments and prints one record of llama-bench's JSON for its -p/-n/-t. */
    private Path fakeLlamaBench(Path log, String rate) throws IOException {
        return script("""
                echo "$*" >> '%s'
                while [ $# -gt 0 ]; do case "$1" in -p) p=$2;; -n) n=$2;; -t) t=$2;; esac; shift; done
                cat <<JSON
                [
                  {
                    "build_commit": "fake", "model_type": "llama ?B all F32", "n_threads": $t,
                    "n_prompt": $p, "n_gen": $n, "avg_ns": 1, "stddev_ns": 0,
                    "avg_ts": %s, "stddev_ts": 0.000000, "samples_ns": [ 1 ], "samples_ts": [ %s ]
                  }
                ]
                JSON
                """.formatted(log, rate, rate));
    }

    private Path script(String body) throws IOException {
        Path p = Files.createTempFile(dir, "llama-bench", ".sh");
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static String model() {
        return Fixtures.require(MODEL).toString();
    }
}
