package io.bitnet4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench} prints: llama-bench's markdown table (one row per test, printed as it finishes) or, with
 * {@code --json}, an array of records under llama-bench's field names so the two outputs can be read by one script.
 * With a peer, each row also has the peer's rate and the ratio of the medians (ours / theirs).
 */
final class BenchReport {
    /** The model as the table names it. */
    record ModelInfo(String filename, String type, long sizeBytes, long parameters, String numerics, String kvType, int batch,
                     boolean int8Copy) {
        /** The settings our side ran with, for the line above the table: the headline must say which were used. */
        String settings() {
            return "bitnet4j settings: numerics " + numerics + ", KV cache " + kvType + ", micro-batch " + batch
                    + (int8Copy ? ", int8 copies of F16 matrices (the head; lossy option)" : ", weights as stored (no int8 copy)");
        }
    }

    /** One test's runs: ours, and the peer's (null without {@code --compare}). */
    record Result(BenchTest test, BenchSamples ours, BenchSamples peer) {}

    private final ModelInfo model;
    private final boolean compare;

    BenchReport(ModelInfo model, boolean compare) {
        this.model = model;
        this.compare = compare;
    }

    void header(PrintWriter out) {
        out.println(model.settings());
        if (compare) {
            out.println("| model | size | params | threads | test | bitnet4j t/s | llama-bench t/s | ratio (medians) |");
            out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        } else {
            out.println("| model | size | params | backend | threads | test | t/s |");
            out.println("| --- | ---: | ---: | --- | ---: | ---: | ---: |");
        }
        out.flush();
    }

    void row(PrintWriter out, Result r) {
        String common = String.format(Locale.ROOT, "| %s | %s | %s |", model.type(), size(model.sizeBytes()),
                parameters(model.parameters()));
        if (compare) {
            out.printf(Locale.ROOT, "%s %d | %s | %s | %s | %.2f |%n", common, r.test().threads(), r.test().name(), rate(r.ours()),
                    rate(r.peer()), r.ours().median() / r.peer().median());
        } else {
            out.printf(Locale.ROOT, "%s bitnet4j %s | %d | %s | %s |%n", common, model.numerics(), r.test().threads(),
                    r.test().name(), rate(r.ours()));
        }
        out.flush();
    }

    /** The results as a JSON array: llama-bench's fields, our numerics, and under {@code "compare"} the peer's figures. */
    String json(List<Result> results) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (Result r : results) {
            ObjectNode o = array.addObject();
            o.put("engine", "bitnet4j");
            o.put("model_filename", model.filename());
            o.put("model_type", model.type());
            o.put("model_size", model.sizeBytes());
            o.put("model_n_params", model.parameters());
            o.put("numerics", model.numerics());
            o.put("n_ubatch", model.batch());
            o.put("int8_copy_of_f16", model.int8Copy());
            o.put("type_k", model.kvType());
            o.put("type_v", model.kvType());
            o.put("n_threads", r.test().threads());
            o.put("n_prompt", r.test().nPrompt());
            o.put("n_gen", r.test().nGen());
            samples(o, r.ours());
            if (r.peer() != null) {
                ObjectNode peer = o.putObject("compare");
                peer.put("engine", "llama-bench");
                samples(peer, r.peer());
                peer.put("ratio_of_medians", r.ours().median() / r.peer().median());
            }
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a tree of plain values", e);
        }
    }

    private static void samples(ObjectNode o, BenchSamples s) {
        o.put("avg_ts", s.mean());
        o.put("stddev_ts", s.stddev());
        o.put("median_ts", s.median());
        ArrayNode a = o.putArray("samples_ts");
        for (double v : s.tokensPerSecond()) {
            a.add(v);
        }
    }

    private static String rate(BenchSamples s) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", s.mean(), s.stddev());
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
    }

    private static String parameters(long n) {
        return n >= 1_000_000_000L ? String.format(Locale.ROOT, "%.2f B", n / 1e9) : String.format(Locale.ROOT, "%.2f M", n / 1e6);
    }
}
