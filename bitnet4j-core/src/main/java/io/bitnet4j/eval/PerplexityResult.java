package io.bitnet4j.eval;

import java.util.List;

/**
 * The outcome of a {@link Perplexity} run, as llama-perplexity reports it.
 *
 * @param textTokens        the text's length in tokens (BOS included when the vocabulary adds it)
 * @param contextLength     tokens per chunk
 * @param runningPerplexity the perplexity over all chunks so far, after each chunk
 * @param scoredTokens      how many predictions were scored: {@code contextLength − contextLength/2 − 1} per chunk
 * @param perplexity        {@code exp(mean NLL)} over every scored token
 * @param standardError     llama-perplexity's uncertainty: {@code perplexity · sqrt(var(NLL) / (scoredTokens − 1))}, with
 *                          the variance taken as {@code mean(NLL²) − mean(NLL)²}; NaN if that is not positive
 * @param seconds           time spent evaluating the chunks
 */
public record PerplexityResult(int textTokens, int contextLength, List<Double> runningPerplexity, int scoredTokens,
                               double perplexity, double standardError, double seconds) {
    public PerplexityResult {
        runningPerplexity = List.copyOf(runningPerplexity);
    }

    /** The number of chunks evaluated. */
    public int chunks() {
        return runningPerplexity.size();
    }
}
