package io.bitnet4j.model;

import io.bitnet4j.kernel.WorkerPool;
import java.util.Objects;

/**
 * One conversation with a {@link Model}: its KV cache, position, worker threads and buffers, all allocated
 * when the session is created. {@link #forward(int[])} pushes tokens through the model, a prompt in batches
 * (all tokens of a batch through each layer together) and then, typically, one token at a time; the
 * single-token path allocates nothing.
 *
 * <p>Not thread-safe: one caller at a time. Close it to stop its worker threads.
 */
public final class Session implements AutoCloseable {
    private final ModelConfig config;
    private final Numerics numerics;
    private final KvCacheType kvCacheType;
    private final int contextLength;
    private final int batchSize;
    private final WorkerPool pool;
    private final KvCache cache;
    private final ForwardPass pass;
    private final float[] lastLogits;
    private final int[] oneToken = new int[1];
    private int position;

    Session(Model model, SessionOptions o) {
        this.config = model.config();
        this.numerics = o.resolvedNumerics(model);
        this.kvCacheType = o.kvCacheType();
        this.contextLength = o.resolvedContextLength(config);
        this.batchSize = Math.min(o.batchSize(), contextLength);
        this.cache = KvCache.create(kvCacheType, config.blockCount(), contextLength, config.keyValueLength());
        this.pool = new WorkerPool(o.resolvedThreads());
        this.pass = new ForwardPass(model, numerics, pool, batchSize, contextLength);
        this.lastLogits = new float[config.vocabSize()];
    }

    /**
     * Processes {@code tokens} (appended after those already seen) and returns the logits of the last one.
     * The array is this session's buffer, overwritten by the next call: copy it to keep it.
     * Throws {@link ContextOverflowException} (changing nothing) if the tokens do not fit in the context.
     */
    public float[] forward(int[] tokens) {
        check(tokens);
        runBatches(tokens, 1, lastLogits);
        return lastLogits;
    }

    /**
     * {@link #forward(int[])} with the session's worker threads idle: the calling thread does it all, with the same
     * result. For a short first prompt while the JIT is still compiling the kernels ({@link WorkerPool#alone}).
     */
    public float[] forwardOnCallingThread(int[] tokens) {
        pool.alone(() -> forward(tokens));
        return lastLogits;
    }

    /** {@link #forward(int[])} for one token, without allocating. */
    public float[] forward(int token) {
        oneToken[0] = token;
        return forward(oneToken);
    }

    /** Processes {@code tokens} and returns the logits of every one of them, a new {@code [tokens][vocab]} array. */
    public float[] forwardAll(int[] tokens) {
        return forwardLast(tokens, tokens.length);
    }

    /**
     * Processes {@code tokens} and returns the logits of the last {@code count} of them, a new {@code [count][vocab]}
     * array: what an evaluation that scores only the end of a window needs, without the logits of the rest.
     */
    public float[] forwardLast(int[] tokens, int count) {
        check(tokens);
        if (count < 1 || count > tokens.length) {
            throw new IllegalArgumentException("asked for the logits of the last " + count + " of " + tokens.length + " tokens");
        }
        float[] logits = new float[Math.multiplyExact(count, config.vocabSize())];
        runBatches(tokens, count, logits);
        return logits;
    }

    /** Runs the tokens in batches, writing the logits of the last {@code wanted} of them to {@code logits} in order. */
    private void runBatches(int[] tokens, int wanted, float[] logits) {
        int vocab = config.vocabSize();
        int firstWanted = tokens.length - wanted;
        for (int from = 0; from < tokens.length; from += batchSize) {
            int n = Math.min(batchSize, tokens.length - from);
            int outputs = Math.clamp(from + n - firstWanted, 0, n); // the wanted rows are the batch's last ones
            pass.run(cache, tokens, from, n, position, outputs, logits, outputs == 0 ? 0 : (from + n - outputs - firstWanted) * vocab);
            position += n;
        }
    }

    private void check(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens given");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token " + i + " is id " + tokens[i] + ", outside the vocabulary 0.."
                        + (config.vocabSize() - 1));
            }
        }
        if ((long) position + tokens.length > contextLength) {
            throw new ContextOverflowException(position, tokens.length, contextLength);
        }
    }

    /** Tokens processed so far: the position of the next token. */
    public int position() {
        return position;
    }

    /** Forgets all tokens: the next one goes to position 0. */
    public void reset() {
        position = 0;
    }

    /**
     * Forgets the tokens from {@code position} on and keeps those before it: the next token goes to
     * {@code position}. The cache of a prefix does not depend on what followed it (attention is causal), so a
     * conversation whose new prompt shares a prefix with what the session holds need only process the rest.
     */
    public void rewind(int position) {
        if (position < 0 || position > this.position) {
            throw new IllegalArgumentException("cannot rewind to position " + position + ": the session holds " + this.position
                    + " token(s)");
        }
        this.position = position;
    }

    /** Positions the KV cache holds. */
    public int contextLength() {
        return contextLength;
    }

    /** The model's hyperparameters. */
    public ModelConfig config() {
        return config;
    }

    /**
     * How far ahead each kind of kernel reads its weights, as tuned on this machine by the one-token products run so
     * far: bytes by the kernel's class name, -1 while still tuning (see {@code -Dbitnet4j.kernels.readahead}).
     */
    public java.util.Map<String, Long> readAheadDistances() {
        return pass.readAheadDistances();
    }

    /** Whose rounding steps this session reproduces. */
    public Numerics numerics() {
        return numerics;
    }

    /** How the KV cache stores keys and values. */
    public KvCacheType kvCacheType() {
        return kvCacheType;
    }

    @Override
    public void close() {
        pool.close();
    }
}
