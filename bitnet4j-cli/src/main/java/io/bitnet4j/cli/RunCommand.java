package io.bitnet4j.cli;

import io.bitnet4j.LoadedModel;
import io.bitnet4j.generate.GenerationResult;
import io.bitnet4j.generate.Generator;
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
    /**
     * A prompt of at most this many tokens runs on one thread, the decode after it on all: `run` is a fresh JVM, whose
     * kernels the JIT compiles while the prompt runs, and on two cores a second computing thread then mostly takes a
     * core from the compiler threads. Measured on the 2B file with LLaMA 3's vocabulary at two threads, whole runs
     * alternating with both threads on the prompt (medians of 9-11): I2_S `-p hi` 0.883 against 0.955 s and 0.832 against
     * 0.924, "hi there" 0.826 against 0.919, TQ2_0 `-p hi` 0.781 against 0.883; at five tokens 0.943 against 0.972, at ten
     * 0.958 against 0.935 (docs/bench-log.md, session 27). The warm-up judges a short prompt by its characters instead
     * ({@link JitWarmup#tokensFor}): it starts before the tokenizer is loaded.
     */
    static final int ONE_THREAD_PROMPT_TOKENS = 4;

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
            GenerationResult r;
            try (Generator g = m.newGenerator()) {
                r = g.nextPromptOnCallingThread(ONE_THREAD_PROMPT_TOKENS)
                        .generate(prompt, options.sampling.settings(), chunk -> TextOut.stream(out, chunk));
            }
            out.println();
            err.println("finished: " + r.finishReason().name().toLowerCase(Locale.ROOT) + " after " + r.generatedTokens()
                    + " tokens");
            Reports.timings(err, r.timings());
        }
        return 0;
    }
}
