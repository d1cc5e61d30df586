package io.bitnet4j.model;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import java.util.Objects;

/**
 * A loaded model: its configuration and its weights bound to kernels. The weight matrices are read in place
 * from the memory-mapped {@link GgufFile}, which must stay open while the model is used. A model holds no
 * per-conversation state; each conversation gets its own {@link Session}.
 *
 * <pre>{@code
 * try (GgufFile f = GgufFile.open(path); Session s = Model.load(f).newSession()) {
 *     float[] logits = s.forward(promptTokens);   // the last token's logits
 *     logits = s.forward(nextToken);               // one token at a time afterwards
 * }
 * }</pre>
 */
public final class Model {
    private final ModelConfig config;
    private final ModelWeights weights;

    private Model(ModelConfig config, ModelWeights weights) {
        this.config = config;
        this.weights = weights;
    }

    /**
     * Loads {@code file} with {@link MatrixKernels#defaults()} (the vectorized kernels where the Vector API is
     * present, which agree with the scalar ones to the bit except under {@link Numerics#FAST}); see
     * {@link #load(GgufFile, MatrixKernels)}.
     */
    public static Model load(GgufFile file) {
        return load(file, MatrixKernels.defaults());
    }

    /**
     * Reads the configuration and checks and binds every tensor. Throws {@link IllegalArgumentException}
     * naming the architecture, metadata key or tensor (with its dims and the expected dims) that is wrong.
     */
    public static Model load(GgufFile file, MatrixKernels kernels) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kernels, "kernels");
        ModelConfig config = ModelConfig.fromGguf(file);
        return new Model(config, ModelWeights.load(file, config, kernels));
    }

    /** The hyperparameters. */
    public ModelConfig config() {
        return config;
    }

    /** The numerics a session uses unless told otherwise: bitnet.cpp's for bitnet-b1.58 or I2_S models, else llama.cpp's. */
    public Numerics defaultNumerics() {
        return Numerics.defaultFor(config, weights);
    }

    /** A session with {@link SessionOptions#defaults()}. */
    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    /** A new conversation; close it to stop its worker threads. */
    public Session newSession(SessionOptions options) {
        return new Session(this, options);
    }

    /**
     * Up to {@code maxSequences} conversations decoded together: each {@link SequenceBatch#step} runs one token of
     * every active sequence in one pass, reading each weight once for all of them. {@code options} applies to
     * every sequence (context length, cache type, numerics) and to the batch's one worker pool.
     */
    public SequenceBatch newBatch(SessionOptions options, int maxSequences) {
        return new SequenceBatch(this, options, maxSequences);
    }

    ModelWeights weights() {
        return weights;
    }
}
