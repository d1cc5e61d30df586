package io.bitnet4j.cli;

import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.generate.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** Token limit, sampler settings (llama.cpp's names and defaults) and stop strings of run and chat. */
final class SamplingOptions {
    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "256",
            description = "Most tokens to generate; -1 = until the model ends or the context is full (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temp", paramLabel = "T", defaultValue = "0.8", description = "Temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "Top-k; 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95", description = "Top-p (nucleus); 1 = off (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05", description = "Min-p; 0 = off (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", paramLabel = "R", defaultValue = "1.0",
            description = "Penalty for recently seen tokens; 1 = off (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N", defaultValue = "64",
            description = "Recent tokens the penalty looks at (default: ${DEFAULT-VALUE}).")
    int repeatLastN;

    @Option(names = {"-s", "--seed"}, paramLabel = "S", defaultValue = "-1",
            description = "Random seed; -1 = a random one, printed on stderr (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", paramLabel = "STR", description = "Stop when the text contains STR (repeatable); STR is left out.")
    List<String> stops = new ArrayList<>();

    private long resolvedSeed = Long.MIN_VALUE;

    /** The seed in use: {@code --seed}, or one drawn once per run when it is -1. */
    long seed() {
        if (resolvedSeed == Long.MIN_VALUE) {
            resolvedSeed = seed == -1 ? ThreadLocalRandom.current().nextLong(1L << 32) : seed;
        }
        return resolvedSeed;
    }

    GenerationSettings settings() {
        SamplerConfig sampler = new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, 0f, 0f, seed());
        return new GenerationSettings(maxTokens, sampler, stops);
    }
}
