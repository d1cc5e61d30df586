package io.bitnet4j.generate;

/**
 * The outcome of one generation.
 *
 * @param text               the generated text (without the prompt, and without a stop string and what followed it)
 * @param tokens             every generated token id in order, the end-of-generation token included when there was one
 * @param finishReason       why generation ended
 * @param promptTokens       the prompt's length in tokens
 * @param cachedPromptTokens how many of them were already in the session's cache and not processed again
 * @param timings            where the time went
 */
public record GenerationResult(String text, int[] tokens, FinishReason finishReason, int promptTokens, int cachedPromptTokens,
                               Timings timings) {

    /** How many tokens were generated. */
    public int generatedTokens() {
        return tokens.length;
    }
}
