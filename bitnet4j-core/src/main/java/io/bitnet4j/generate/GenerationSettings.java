package io.bitnet4j.generate;

import java.util.List;
import java.util.Objects;

/**
 * What to generate.
 *
 * @param maxTokens   most tokens to generate; negative means no limit (generation still ends when the context is full)
 * @param sampler     how each token is chosen
 * @param stopStrings generation ends as soon as the text contains one of them (none may be empty); they are left out
 */
public record GenerationSettings(int maxTokens, SamplerConfig sampler, List<String> stopStrings) {
    /** The default token limit. */
    public static final int DEFAULT_MAX_TOKENS = 256;

    public GenerationSettings {
        Objects.requireNonNull(sampler, "sampler");
        stopStrings = List.copyOf(stopStrings);
        new StopStrings(stopStrings); // checks them now rather than at the first generation
    }

    /** Up to {@value #DEFAULT_MAX_TOKENS} tokens, llama.cpp's default sampler, no stop strings. */
    public static GenerationSettings defaults() {
        return new GenerationSettings(DEFAULT_MAX_TOKENS, SamplerConfig.defaults(), List.of());
    }

    /** Greedy decoding (always the most likely token) of up to {@code maxTokens} tokens. */
    public static GenerationSettings greedy(int maxTokens) {
        return new GenerationSettings(maxTokens, SamplerConfig.greedy(), List.of());
    }

    public GenerationSettings withMaxTokens(int n) {
        return new GenerationSettings(n, sampler, stopStrings);
    }

    public GenerationSettings withSampler(SamplerConfig s) {
        return new GenerationSettings(maxTokens, s, stopStrings);
    }

    public GenerationSettings withStopStrings(List<String> stops) {
        return new GenerationSettings(maxTokens, sampler, stops);
    }
}
