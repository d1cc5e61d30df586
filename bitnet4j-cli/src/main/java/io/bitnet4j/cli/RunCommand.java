package io.bitnet4j.cli;

import io.bitnet4j.LoadedModel;
import io.bitnet4j.generate.GenerationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j run -m FILE -p TEXT}: generates a continuation of the prompt and streams it to stdout (after
 * the prompt itself, as llama-cli shows it); the model, the seed and llama.cpp-style timings go to stderr.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate text from a prompt with a GGUF model, streamed to stdout; load time, prompt and generation "
                + "speed to stderr.",
            "Without -m: $BITNET4J_MODEL, else models/default.gguf in the bitnet4j directory."})
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", defaultValue = "",
            description = "Prompt text; empty = start from BOS alone. Special-token text such as <|eot_id|> becomes that token.")
    String prompt;

    @Option(names = "--no-display-prompt", description = "Print only the generated text, not the prompt before it.")
    boolean noDisplayPrompt;

    @Mixin
    GenerationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<LoadedModel> loaded = options.load(spec, prompt);
        if (loaded.isEmpty()) {
            return 1;
        }
        try (LoadedModel m = loaded.get()) {
            err.println("seed: " + options.sampling.seed());
            err.flush();
            PrintWriter out = TextOut.stdout();
            if (!noDisplayPrompt) {
                TextOut.stream(out, prompt);
            }
            GenerationResult r = m.generate(prompt, options.sampling.settings(), chunk -> TextOut.stream(out, chunk));
            out.println();
            err.println("finished: " + r.finishReason().name().toLowerCase(Locale.ROOT) + " after " + r.generatedTokens()
                    + " tokens");
            Reports.timings(err, r.timings());
        }
        return 0;
    }
}
