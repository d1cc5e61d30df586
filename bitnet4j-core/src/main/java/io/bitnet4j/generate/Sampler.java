package io.bitnet4j.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a vector of logits, as llama.cpp's default sampler chain does:
 *
 * <ol>
 *   <li><b>penalties</b> on the tokens among the last {@code repeatLastN} {@link #accept accepted} ones:
 *       a positive logit is divided by {@code repeatPenalty}, a negative one multiplied, then
 *       {@code count·frequencyPenalty + presencePenalty} is subtracted;</li>
 *   <li><b>top-k</b>: the {@code topK} highest logits;</li>
 *   <li><b>top-p</b>: sorted by logit, the shortest prefix whose softmax probability (at temperature 1,
 *       over the tokens still in) reaches {@code topP};</li>
 *   <li><b>min-p</b>: tokens whose logit is at least the top logit + ln(minP), i.e. probability at least
 *       {@code minP} times the top one's;</li>
 *   <li><b>temperature</b>: logits divided by it;</li>
 *   <li><b>dist</b>: a draw from the softmax of what is left, with the seeded generator.</li>
 * </ol>
 *
 * With temperature 0 the result is the argmax after the penalties (ties to the lowest id), which the
 * filters never remove, so it is computed directly. Ties in logits order by the lower id throughout.
 *
 * <p>{@link #sample} does not record its choice: call {@link #accept} with every token that enters the
 * context (prompt tokens too, as llama.cpp does) so the penalties see it. After construction no call
 * allocates: the buffers are sized to the vocabulary once. Not thread-safe: one sampler per sequence.
 */
public final class Sampler {
    private final SamplerConfig config;
    private final int vocabSize;
    private final float[] logits;
    private final int[] ids;
    private final double[] probs;
    private final int[] history;
    private final int[] counts;
    private final int[] penaltyStamp;
    private int stamp;
    private int historyLength;
    private int historyNext;
    private SplittableRandom random;

    public Sampler(SamplerConfig config, int vocabSize) {
        if (config == null) {
            throw new IllegalArgumentException("sampler config is null");
        }
        this.config = config;
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabulary size is " + vocabSize + "; it must be > 0");
        }
        this.vocabSize = vocabSize;
        this.logits = new float[vocabSize];
        this.ids = new int[vocabSize];
        this.probs = new double[vocabSize];
        this.history = new int[config.repeatLastN()];
        this.counts = new int[vocabSize];
        this.penaltyStamp = new int[vocabSize];
        this.random = new SplittableRandom(config.seed());
    }

    public SamplerConfig config() {
        return config;
    }

    /** The next token for {@code logits} (one per vocabulary entry; -Infinity masks a token out). */
    public int sample(float[] logits) {
        int n = filter(logits);
        if (n == 1) {
            return ids[0];
        }
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < n - 1; i++) {
            cumulative += probs[i];
            if (u < cumulative) {
                return ids[i];
            }
        }
        return ids[n - 1];
    }

    /**
     * The tokens the next {@link #sample} would choose from and their probabilities, most likely first
     * unless no filter needed sorting; returns how many. Does not advance the random generator.
     */
    public int candidates(float[] logits, int[] idsOut, float[] probsOut) {
        int n = filter(logits);
        if (idsOut.length < n || probsOut.length < n) {
            throw new IllegalArgumentException("output arrays hold " + Math.min(idsOut.length, probsOut.length)
                    + " candidates; " + n + " are needed (size them to the vocabulary)");
        }
        for (int i = 0; i < n; i++) {
            idsOut[i] = ids[i];
            probsOut[i] = (float) probs[i];
        }
        return n;
    }

    /** Records {@code token} as the latest token of the context, for the penalties. */
    public void accept(int token) {
        if (token < 0 || token >= vocabSize) {
            throw new IllegalArgumentException("accepted token " + token + " is out of range [0, " + vocabSize + ")");
        }
        if (history.length == 0) {
            return;
        }
        if (historyLength == history.length) {
            counts[history[historyNext]]--;
        } else {
            historyLength++;
        }
        history[historyNext] = token;
        counts[token]++;
        historyNext = (historyNext + 1) % history.length;
    }

    /** Forgets the accepted tokens and restarts the random generator from the seed. */
    public void reset() {
        for (int i = 0; i < historyLength; i++) {
            counts[history[i]] = 0;
        }
        historyLength = 0;
        historyNext = 0;
        random = new SplittableRandom(config.seed());
    }

    /** Runs the chain up to the draw: leaves the candidates in {@code ids[0, n)} with probabilities summing to 1. */
    private int filter(float[] input) {
        if (input.length != vocabSize) {
            throw new IllegalArgumentException("got " + input.length + " logits for a vocabulary of " + vocabSize);
        }
        for (int i = 0; i < vocabSize; i++) {
            float l = input[i];
            if (Float.isNaN(l) || l == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit " + i + " is " + l);
            }
            logits[i] = l;
        }
        applyPenalties();
        if (config.temperature() == 0f) {
            ids[0] = argmax();
            probs[0] = 1;
            return 1;
        }
        int n = 0;
        for (int i = 0; i < vocabSize; i++) {
            if (logits[i] != Float.NEGATIVE_INFINITY) {
                ids[n++] = i;
            }
        }
        requireAny(n);
        boolean sorted = false;
        if (config.topK() > 0 && config.topK() < n) {
            CandidateOrder.selectTop(ids, n, config.topK(), logits);
            n = config.topK();
            sorted = true;
        }
        if (config.topP() < 1f) {
            if (!sorted) {
                CandidateOrder.sort(ids, n, logits);
                sorted = true;
            }
            n = topP(n);
        }
        if (config.minP() > 0f) {
            n = minP(n);
        }
        softmax(n, config.temperature());
        return n;
    }

    private void applyPenalties() {
        if (!config.penalizes()) {
            return;
        }
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(penaltyStamp, 0);
            stamp = 1;
        }
        for (int i = 0; i < historyLength; i++) {
            int t = history[i];
            if (penaltyStamp[t] == stamp) {
                continue; // each distinct token is penalised once, by its count
            }
            penaltyStamp[t] = stamp;
            float l = logits[t];
            l = l <= 0 ? l * config.repeatPenalty() : l / config.repeatPenalty();
            logits[t] = l - counts[t] * config.frequencyPenalty() - config.presencePenalty();
        }
    }

    private int argmax() {
        int best = 0;
        for (int i = 1; i < vocabSize; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        requireAny(logits[best] == Float.NEGATIVE_INFINITY ? 0 : 1);
        return best;
    }

    private static void requireAny(int n) {
        if (n == 0) {
            throw new IllegalArgumentException("every logit is -Infinity: no token can be sampled");
        }
    }

    /** Sorted candidates: the shortest prefix whose probability reaches topP. */
    private int topP(int n) {
        softmax(n, 1f);
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (cumulative >= config.topP()) {
                return i + 1;
            }
        }
        return n;
    }

    /** Keeps candidates with logit ≥ max + ln(minP), in their order. */
    private int minP(int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[ids[i]]);
        }
        double threshold = max + Math.log(config.minP());
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (logits[ids[i]] >= threshold) {
                ids[kept++] = ids[i];
            }
        }
        return kept;
    }

    /** probs[0, n) = softmax(logits[ids[i]] / temperature), in double. */
    private void softmax(int n, float temperature) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[ids[i]]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.exp(((double) logits[ids[i]] - max) / temperature);
            probs[i] = p;
            sum += p;
        }
        for (int i = 0; i < n; i++) {
            probs[i] /= sum;
        }
    }
}
