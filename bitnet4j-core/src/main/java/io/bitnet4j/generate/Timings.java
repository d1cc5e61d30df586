package io.bitnet4j.generate;

/**
 * Where the time of a generation went, as llama.cpp's timings report it.
 *
 * @param loadSeconds       loading the model (0 when the generator was not told)
 * @param promptSeconds     processing the prompt tokens that were not already cached
 * @param promptTokens      how many prompt tokens were processed
 * @param generationSeconds from the end of the prompt to the last generated token: each token's sampling and,
 *                          for all but the last, its forward pass
 * @param generatedTokens   tokens generated
 */
public record Timings(double loadSeconds, double promptSeconds, int promptTokens, double generationSeconds, int generatedTokens) {

    /** Prompt tokens per second (0 when no time was measured). */
    public double promptTokensPerSecond() {
        return rate(promptTokens, promptSeconds);
    }

    /** Generated tokens per second (0 when no time was measured). */
    public double generationTokensPerSecond() {
        return rate(generatedTokens, generationSeconds);
    }

    private static double rate(int tokens, double seconds) {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
