package io.bitnet4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A llama-bench executable (llama.cpp's, or bitnet.cpp's build of it) run for one test at a time, so that its runs can
 * alternate with ours: {@code -m FILE -p P -n N -t T -r 1 -o json}, read back through the JSON fields llama-bench writes
 * ({@code n_prompt}, {@code n_gen}, {@code n_threads}, {@code samples_ts} or else {@code avg_ts}, {@code model_type}).
 * Each invocation does llama-bench's own warm-up run first, untimed.
 */
final class LlamaBenchPeer {
    private final Path executable;
    private final Path model;
    private final boolean f32Cache;
    private String modelType = "";

    LlamaBenchPeer(Path executable, Path model, boolean f32Cache) {
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new IllegalArgumentException("--compare: " + executable + " is not an executable file (give the path of llama-bench)");
        }
        this.executable = executable;
        this.model = model;
        this.f32Cache = f32Cache;
    }

    /** One run of {@code test}: tokens per second as llama-bench measured them. */
    double run(BenchTest test) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-m", model.toString(),
                "-p", Integer.toString(test.nPrompt()), "-n", Integer.toString(test.nGen()),
                "-t", Integer.toString(test.threads()), "-r", "1", "-o", "json"));
        if (f32Cache) {
            command.addAll(List.of("-ctk", "f32", "-ctv", "f32"));
        }
        Path errors = Files.createTempFile("llama-bench", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            p.getOutputStream().close(); // it reads nothing
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = waitFor(p);
            if (code != 0) {
                throw new IOException("--compare: " + String.join(" ", command) + " failed (exit code " + code + "): "
                        + lastLine(Files.readString(errors, StandardCharsets.UTF_8)));
            }
            return parse(out, test);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** The {@code model_type} the last run reported (e.g. {@code bitnet ?B TQ2_0 - 2.06 bpw ternary}); empty before any. */
    String modelType() {
        return modelType;
    }

    /** The rate of {@code test} in llama-bench's JSON output {@code json}; the mean of its samples if there are several. */
    double parse(String json, BenchTest test) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("--compare: " + executable + " did not print JSON (is it llama-bench?): " + e.getOriginalMessage());
        }
        if (root != null && root.isArray()) {
            for (JsonNode r : root) {
                if (r.path("n_prompt").asInt(-1) == test.nPrompt() && r.path("n_gen").asInt(-1) == test.nGen()
                        && r.path("n_threads").asInt(-1) == test.threads()) {
                    modelType = r.path("model_type").asText("");
                    JsonNode samples = r.path("samples_ts");
                    if (samples.isArray() && !samples.isEmpty()) {
                        double sum = 0;
                        for (JsonNode s : samples) {
                            sum += s.asDouble();
                        }
                        return sum / samples.size();
                    }
                    if (r.path("avg_ts").isNumber()) {
                        return r.path("avg_ts").asDouble();
                    }
                }
            }
        }
        throw new IOException("--compare: " + executable + " printed no result for " + test.name() + " at " + test.threads()
                + " thread(s) (expected a JSON array of records with n_prompt, n_gen, n_threads and avg_ts)");
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("--compare: interrupted while llama-bench ran", e);
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        return t.isEmpty() ? "(nothing on stderr)" : t.substring(t.lastIndexOf('\n') + 1);
    }
}
