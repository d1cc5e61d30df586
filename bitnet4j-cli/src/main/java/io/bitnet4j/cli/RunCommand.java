package io.bitnet4j.cli;

import io.bitnet4j.BitNet;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.generate.GenerationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Mixin
    ModelOptions model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", defaultValue = "",
            description = "Prompt text; empty = start from BOS alone. Special-token text such as <|eot_id|> becomes that token.")
    String prompt;

    @Option(names = "--no-display-prompt", description = "Print only the generated text, not the prompt before it.")
    boolean noDisplayPrompt;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> file = model.resolve();
        if (file.isEmpty()) {
            err.println(DefaultModel.missingMessage(spec.name()));
            err.flush();
            return 1;
        }
        try (LoadedModel m = BitNet.load(file.get(), engine.sessionOptions())) {
            int context = engine.context > 0 ? engine.context : m.model().config().contextLength();
            Reports.loaded(err, file.get(), m, context);
            err.println("seed: " + sampling.seed());
            err.flush();
            PrintWriter out = TextOut.stdout();
            if (!noDisplayPrompt) {
                TextOut.stream(out, prompt);
            }
            GenerationResult r = m.generate(prompt, sampling.settings(), chunk -> TextOut.stream(out, chunk));
            out.println();
            err.println("finished: " + r.finishReason().name().toLowerCase(java.util.Locale.ROOT) + " after " + r.generatedTokens()
                    + " tokens");
            Reports.timings(err, r.timings());
        }
        return 0;
    }
}
