package io.bitnet4j.eval;

import io.bitnet4j.model.Model;
import io.bitnet4j.model.Session;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleConsumer;

/**
 * Perplexity of a model on a text, computed the way llama.cpp's {@code llama-perplexity} does by default, so the
 * numbers compare directly:
 * <ol>
 *   <li>the whole text is tokenized once, with BOS if the vocabulary adds it (special-token text taken literally);</li>
 *   <li>it is cut into {@code floor(tokens / n_ctx)} non-overlapping chunks of {@code n_ctx} tokens (the rest is
 *       ignored), each evaluated from an empty cache, in batches of {@code n_batch};</li>
 *   <li>the first token of every chunk is replaced by BOS when the vocabulary adds BOS;</li>
 *   <li>only the second half is scored: the logits at positions {@code n_ctx/2 .. n_ctx−2} predict the tokens after
 *       them, each contributing {@code −log softmax(logits)[next]} (softmax as llama.cpp sums it: float
 *       {@code exp(l − max)} summed in double);</li>
 *   <li>perplexity is {@code exp} of the mean over all chunks so far, reported after each chunk; the final
 *       uncertainty is {@link PerplexityResult#standardError()}.</li>
 * </ol>
 * llama-perplexity needs at least {@code 2·n_ctx} tokens, and so does this.
 */
public final class Perplexity {
    private final Model model;
    private final Tokenizer tokenizer;
    private final SessionOptions options;

    /**
     * Evaluates {@code model} (with its {@code tokenizer}) in sessions configured by {@code options}, whose context
     * length and batch size are set per run.
     */
    public Perplexity(Model model, Tokenizer tokenizer, SessionOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The perplexity of {@code text}.
     *
     * @param contextLength {@code n_ctx}, tokens per chunk (at least 4); 0 means the model's context length
     * @param batchSize     {@code n_batch}, tokens per batch; the session cuts batches into ubatches of at most 512,
     *                      as llama.cpp's default {@code n_ubatch}
     * @param maxChunks     evaluate at most this many chunks; negative means all
     * @param afterChunk    receives the running perplexity after each chunk (may be null)
     */
    public PerplexityResult evaluate(String text, int contextLength, int batchSize, int maxChunks, DoubleConsumer afterChunk) {
        Objects.requireNonNull(text, "text");
        int nCtx = contextLength == 0 ? model.config().contextLength() : contextLength;
        if (nCtx < 4) {
            throw new IllegalArgumentException("context length " + nCtx + " is too short for perplexity (at least 4)");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be positive");
        }
        int[] tokens = tokenizer.encode(text, true, false);
        if (tokens.length < 2 * nCtx) {
            throw new IllegalArgumentException("the text is " + tokens.length + " tokens; perplexity with a context of " + nCtx
                    + " needs at least " + 2 * nCtx + " (use a shorter context or a longer text)");
        }
        int chunks = tokens.length / nCtx;
        if (maxChunks >= 0) {
            chunks = Math.min(chunks, maxChunks);
        }
        int ubatch = Math.min(Math.min(batchSize, SessionOptions.DEFAULT_BATCH_SIZE), nCtx);
        Accumulator nll = new Accumulator();
        List<Double> running = new ArrayList<>();
        long start = System.nanoTime();
        try (Session session = model.newSession(options.withContextLength(nCtx).withBatchSize(ubatch))) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                evaluateChunk(session, Arrays.copyOfRange(tokens, chunk * nCtx, (chunk + 1) * nCtx), Math.min(batchSize, nCtx), nll);
                running.add(Math.exp(nll.mean()));
                if (afterChunk != null) {
                    afterChunk.accept(running.getLast());
                }
            }
        }
        double ppl = Math.exp(nll.mean());
        return new PerplexityResult(tokens.length, nCtx, running, nll.count, ppl, ppl * nll.standardError(),
                (System.nanoTime() - start) / 1e9);
    }

    /** One chunk from an empty cache, in batches, scoring its second half. */
    private void evaluateChunk(Session session, int[] window, int batchSize, Accumulator nll) {
        int nCtx = window.length;
        int first = nCtx / 2;
        int[] targets = window.clone();
        if (tokenizer.specialTokens().addBos()) {
            window[0] = tokenizer.bos();
        }
        session.reset();
        int vocab = model.config().vocabSize();
        for (int from = 0; from < nCtx; from += batchSize) {
            int[] batch = Arrays.copyOfRange(window, from, Math.min(nCtx, from + batchSize));
            int wanted = Math.clamp(from + batch.length - first, 0, batch.length); // positions ≥ first: the batch's tail
            if (wanted == 0) {
                session.forward(batch);
                continue;
            }
            float[] logits = session.forwardLast(batch, wanted);
            int firstPosition = from + batch.length - wanted;
            for (int row = 0; row < wanted; row++) {
                int position = firstPosition + row;
                if (position < nCtx - 1) {
                    nll.add(-logSoftmax(logits, row * vocab, vocab, targets[position + 1]));
                }
            }
        }
    }

    /** {@code log softmax(logits)[token]} of one row, summed as llama-perplexity does. */
    static double logSoftmax(float[] logits, int offset, int vocab, int token) {
        float max = logits[offset];
        for (int i = 1; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += (float) Math.exp(logits[offset + i] - max);
        }
        return (logits[offset + token] - max) - Math.log(sum);
    }

    /** Running sums of the NLL and its square. */
    private static final class Accumulator {
        double sum;
        double sumOfSquares;
        int count;

        void add(double v) {
            sum += v;
            sumOfSquares += v * v;
            count++;
        }

        double mean() {
            return sum / count;
        }

        /** sqrt(var / (n − 1)) with var = mean(v²) − mean(v)², NaN if not positive (llama-perplexity reports an error then). */
        double standardError() {
            double mean = mean();
            double variance = sumOfSquares / count - mean * mean;
            return variance > 0 && count > 1 ? Math.sqrt(variance / (count - 1)) : Double.NaN;
        }
    }
}
