/**
 * Evaluating models on text: {@link io.bitnet4j.eval.Perplexity}, computed as llama.cpp's {@code llama-perplexity}
 * computes it so that the numbers compare directly.
 */
package io.bitnet4j.eval;
