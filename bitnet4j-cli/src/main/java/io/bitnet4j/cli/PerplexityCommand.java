package io.bitnet4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.eval.Perplexity;
import io.bitnet4j.eval.PerplexityResult;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j perplexity -m FILE -f TEXT}: llama-perplexity's measurement (see {@link Perplexity}), printed
 * as it prints it: {@code [1]4.0949,[2]3.7354,...} while running, then {@code Final estimate: PPL = x +/- y};
 * or, with {@code --json}, one JSON object.
 */
@Command(name = "perplexity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Perplexity of a model on a text file, computed as llama-perplexity computes it: chunks of -c tokens "
                + "(first token BOS), the second half of each scored; running value per chunk, final value +/- its uncertainty."})
final class PerplexityCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "TEXT", description = "UTF-8 text file to evaluate.")
    Path text;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "512",
            description = "Tokens per chunk; 0 = the model's context (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "2048",
            description = "Tokens per batch, as llama.cpp's -b (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--chunks", paramLabel = "K", defaultValue = "-1", description = "Evaluate at most K chunks; -1 = all (default).")
    int chunks;

    @Option(names = "--json", description = "Print one JSON object instead of llama-perplexity's lines.")
    boolean json;

    @Mixin
    RuntimeOptions runtime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String content = TokenizeCommand.readUtf8(text);
        SessionOptions options = runtime.sessionOptions("exact").withContextLength(context);
        Optional<LoadedModel> loaded = model.load(spec, options);
        if (loaded.isEmpty()) {
            return 1;
        }
        PrintWriter out = TextOut.stdout();
        try (LoadedModel m = loaded.get()) {
            Perplexity perplexity = new Perplexity(m.model(), m.tokenizer(), options);
            int[] chunk = {0};
            PerplexityResult r = perplexity.evaluate(content, context, batch, chunks,
                    json ? null : ppl -> TextOut.stream(out, String.format(Locale.ROOT, "[%d]%.4f,", ++chunk[0], ppl)));
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(r)));
            } else {
                out.println();
                out.printf(Locale.ROOT, "Final estimate: PPL = %.4f +/- %.5f%n", r.perplexity(), r.standardError());
            }
            out.flush();
            err.printf(Locale.ROOT, "%d tokens, %d chunks of %d, %d scored; %.2f s (%.2f s per chunk)%n", r.textTokens(), r.chunks(),
                    r.contextLength(), r.scoredTokens(), r.seconds(), r.seconds() / r.chunks());
            err.flush();
        }
        return 0;
    }

    private ObjectNode toJson(PerplexityResult r) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("text", text.toString());
        o.put("n_ctx", r.contextLength());
        o.put("n_batch", batch);
        o.put("text_tokens", r.textTokens());
        o.put("n_chunks", r.chunks());
        r.runningPerplexity().forEach(o.putArray("running_ppl_after_each_chunk")::add);
        o.put("final_ppl", r.perplexity());
        o.put("final_ppl_stderr", r.standardError());
        o.put("scored_tokens", r.scoredTokens());
        o.put("seconds", r.seconds());
        return o;
    }
}
