package io.bitnet4j.model;

import java.util.Objects;

/**
 * How a {@link Session} runs.
 *
 * @param contextLength positions the KV cache holds; 0 means the model's {@code context_length}
 * @param kvCacheType   F16 (llama.cpp's default) or F32
 * @param threads       threads for the matrix products and attention, the caller included; 0 means
 *                      {@link Runtime#availableProcessors()}
 * @param batchSize     most tokens pushed through the layers together (llama.cpp's {@code n_ubatch}); longer
 *                      inputs are cut into batches of this size
 * @param numerics      whose rounding steps to reproduce; null means the model's default ({@link Model#defaultNumerics()})
 */
public record SessionOptions(int contextLength, KvCacheType kvCacheType, int threads, int batchSize, Numerics numerics) {
    /** llama.cpp's default {@code n_ubatch}. */
    public static final int DEFAULT_BATCH_SIZE = 512;

    public SessionOptions {
        Objects.requireNonNull(kvCacheType, "kvCacheType");
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length " + contextLength + " must be positive (or 0 for the model's)");
        }
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("thread count " + threads + " must be 1..1024 (or 0 for one per processor)");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be positive");
        }
    }

    /** The model's context, an F16 cache, one thread per processor, batches of 512, the model's default numerics. */
    public static SessionOptions defaults() {
        return new SessionOptions(0, KvCacheType.F16, 0, DEFAULT_BATCH_SIZE, null);
    }

    public SessionOptions withContextLength(int n) {
        return new SessionOptions(n, kvCacheType, threads, batchSize, numerics);
    }

    public SessionOptions withKvCacheType(KvCacheType type) {
        return new SessionOptions(contextLength, type, threads, batchSize, numerics);
    }

    public SessionOptions withThreads(int n) {
        return new SessionOptions(contextLength, kvCacheType, n, batchSize, numerics);
    }

    public SessionOptions withBatchSize(int n) {
        return new SessionOptions(contextLength, kvCacheType, threads, n, numerics);
    }

    public SessionOptions withNumerics(Numerics n) {
        return new SessionOptions(contextLength, kvCacheType, threads, batchSize, n);
    }

    /** The context length with 0 resolved to the model's. */
    int resolvedContextLength(ModelConfig config) {
        return contextLength == 0 ? config.contextLength() : contextLength;
    }

    /** The numerics with null resolved to the model's default. */
    Numerics resolvedNumerics(Model model) {
        return numerics != null ? numerics : model.defaultNumerics();
    }

    /** The thread count with 0 resolved. */
    public int resolvedThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
