package io.bitnet4j.model;

import io.bitnet4j.kernel.WorkerPool;
import java.util.Arrays;
import java.util.Objects;

/**
 * Several sequences of one {@link Model} decoded together, as a server does for concurrent requests: each
 * slot has its own KV cache and position, and {@link #step} pushes one token of each of several slots through
 * the model in one pass, so each weight matrix is read once per step for all of them. A slot's prompt is
 * processed on its own with {@link #prefill}, in batches as a {@link Session} does.
 *
 * <p>A slot's logits do not depend on which other slots share its steps: in a step every row is summed as a
 * sequence of one row, the same choice a {@link Session} makes for a single token, so a sequence decoded here
 * gives the very logits it would in a session with the same options.
 *
 * <p>All slots share one worker pool. Not thread-safe: one caller at a time. Close it to stop the workers.
 */
public final class SequenceBatch implements AutoCloseable {
    private final ModelConfig config;
    private final Numerics numerics;
    private final int contextLength;
    private final int batchSize;
    private final WorkerPool pool;
    private final ForwardPass pass;
    private final KvCache[] caches;
    private final int[] positions;
    private final float[][] slotLogits;
    private final KvCache[] stepCaches;
    private final int[] stepPositions;
    private final float[] stepLogits;

    SequenceBatch(Model model, SessionOptions o, int maxSequences) {
        Objects.requireNonNull(o, "options");
        if (maxSequences < 1 || maxSequences > 1024) {
            throw new IllegalArgumentException("a batch holds 1..1024 sequences, not " + maxSequences);
        }
        this.config = model.config();
        this.numerics = o.resolvedNumerics(model);
        this.contextLength = o.resolvedContextLength(config);
        this.batchSize = Math.min(o.batchSize(), contextLength);
        this.caches = new KvCache[maxSequences];
        for (int i = 0; i < maxSequences; i++) {
            caches[i] = KvCache.create(o.kvCacheType(), config.blockCount(), contextLength, config.keyValueLength());
        }
        this.positions = new int[maxSequences];
        this.slotLogits = new float[maxSequences][config.vocabSize()];
        this.stepCaches = new KvCache[maxSequences];
        this.stepPositions = new int[maxSequences];
        this.stepLogits = new float[Math.multiplyExact(maxSequences, config.vocabSize())];
        this.pool = new WorkerPool(o.resolvedThreads());
        this.pass = new ForwardPass(model, numerics, pool, Math.max(batchSize, maxSequences), contextLength);
    }

    /**
     * Processes {@code tokens} in slot {@code slot} (appended after those it holds) and returns the logits of the
     * last one: the slot's buffer, overwritten by its next prefill or step. Throws {@link ContextOverflowException}
     * (changing nothing) if they do not fit.
     */
    public float[] prefill(int slot, int[] tokens) {
        checkSlot(slot);
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens given for slot " + slot);
        }
        for (int i = 0; i < tokens.length; i++) {
            checkToken(tokens[i], "token " + i);
        }
        if ((long) positions[slot] + tokens.length > contextLength) {
            throw new ContextOverflowException(positions[slot], tokens.length, contextLength);
        }
        float[] logits = slotLogits[slot];
        for (int from = 0; from < tokens.length; from += batchSize) {
            int n = Math.min(batchSize, tokens.length - from);
            pass.run(caches[slot], tokens, from, n, positions[slot], from + n == tokens.length ? 1 : 0, logits, 0);
            positions[slot] += n;
        }
        return logits;
    }

    /**
     * Runs {@code tokens[i]} in slot {@code slots[i]} for {@code i < count}, all in one pass; afterwards
     * {@link #logits(int)} of each of those slots holds the logits of its token. The slots must be distinct and
     * each must have room for one more token; if any check fails, nothing changes.
     */
    public void step(int count, int[] slots, int[] tokens) {
        Objects.requireNonNull(slots, "slots");
        Objects.requireNonNull(tokens, "tokens");
        if (count < 1 || count > caches.length || count > slots.length || count > tokens.length) {
            throw new IllegalArgumentException("a step of " + count + " sequences needs 1.." + caches.length + " slots and as many "
                    + "tokens (got " + slots.length + " slots, " + tokens.length + " tokens)");
        }
        for (int i = 0; i < count; i++) {
            int slot = slots[i];
            checkSlot(slot);
            checkToken(tokens[i], "the token of slot " + slot);
            for (int j = 0; j < i; j++) {
                if (slots[j] == slot) {
                    throw new IllegalArgumentException("slot " + slot + " appears twice in one step");
                }
            }
            if (positions[slot] >= contextLength) {
                throw new ContextOverflowException(positions[slot], 1, contextLength);
            }
            stepCaches[i] = caches[slot];
            stepPositions[i] = positions[slot];
        }
        pass.step(stepCaches, stepPositions, tokens, count, stepLogits);
        int vocab = config.vocabSize();
        for (int i = 0; i < count; i++) {
            System.arraycopy(stepLogits, i * vocab, slotLogits[slots[i]], 0, vocab);
            positions[slots[i]]++;
        }
        Arrays.fill(stepCaches, 0, count, null);
    }

    /** The logits of slot {@code slot}'s last processed token (its buffer, overwritten by its next prefill or step). */
    public float[] logits(int slot) {
        checkSlot(slot);
        return slotLogits[slot];
    }

    /** Tokens slot {@code slot} holds: the position of its next token. */
    public int position(int slot) {
        checkSlot(slot);
        return positions[slot];
    }

    /** Forgets slot {@code slot}'s tokens, making it free for a new sequence. */
    public void reset(int slot) {
        checkSlot(slot);
        positions[slot] = 0;
    }

    /** How many slots the batch has. */
    public int maxSequences() {
        return caches.length;
    }

    /** Positions each slot's KV cache holds. */
    public int contextLength() {
        return contextLength;
    }

    /** The model's hyperparameters. */
    public ModelConfig config() {
        return config;
    }

    /** Whose rounding steps the batch reproduces. */
    public Numerics numerics() {
        return numerics;
    }

    @Override
    public void close() {
        pool.close();
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= caches.length) {
            throw new IllegalArgumentException("slot " + slot + " is outside 0.." + (caches.length - 1));
        }
    }

    private void checkToken(int id, String what) {
        if (id < 0 || id >= config.vocabSize()) {
            throw new IllegalArgumentException(what + " is id " + id + ", outside the vocabulary 0.." + (config.vocabSize() - 1));
        }
    }
}
