package io.bitnet4j.model;

import static io.bitnet4j.model.ModelTensors.blk;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.kernel.WeightMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * All tensors of a model, checked against its {@link ModelConfig} and bound to kernels.
 *
 * @param tokenEmbedding {@code token_embd.weight}, {@code [vocab, dim]}
 * @param outputNorm     {@code output_norm.weight}
 * @param output         the LM head: {@code output.weight} if present, else the token embedding (tied)
 * @param ropeFreqs      {@code rope_freqs.weight} (per-pair frequency divisors, Llama 3 style), or null
 * @param layers         the blocks in order
 */
record ModelWeights(WeightMatrix tokenEmbedding, float[] outputNorm, WeightMatrix output, float[] ropeFreqs,
        List<LayerWeights> layers) {

    static ModelWeights load(GgufFile file, ModelConfig c, MatrixKernels kernels) {
        WeightReader r = new WeightReader(file, kernels, c);
        int dim = c.embeddingLength();
        // Layers are read (and repacked by the kernels) in parallel, and the embedding (index -1; an F16 one is scanned
        // for infinities once, a single-threaded pass over a large tensor) beside them: binding is per tensor and shares
        // no state, and repacking a 2B-parameter model on one thread was most of its load time. A bad tensor is reported
        // as it would be in order: the embedding's error, then the first layer's, the exception itself (not a stream's
        // copy from another thread).
        Object[] loaded = IntStream.range(-1, c.blockCount()).parallel().mapToObj(i -> {
            try {
                return i < 0 ? r.matrix(ModelTensors.TOKEN_EMBD, dim, c.vocabSize()) : layer(r, c, i);
            } catch (RuntimeException e) {
                return e;
            }
        }).toArray();
        for (Object o : loaded) {
            if (o instanceof RuntimeException e) {
                throw e;
            }
        }
        WeightMatrix embd = (WeightMatrix) loaded[0];
        float[] outputNorm = r.vector(ModelTensors.OUTPUT_NORM, dim);
        WeightMatrix output = r.optionalMatrix(ModelTensors.OUTPUT, dim, c.vocabSize()).orElse(embd);
        float[] ropeFreqs = r.optionalVector(ModelTensors.ROPE_FREQS, c.ropeDimensionCount() / 2).orElse(null);
        List<LayerWeights> layers = new ArrayList<>(loaded.length - 1);
        for (int i = 1; i < loaded.length; i++) {
            layers.add((LayerWeights) loaded[i]);
        }
        return new ModelWeights(embd, outputNorm, output, ropeFreqs, List.copyOf(layers));
    }

    private static LayerWeights layer(WeightReader r, ModelConfig c, int i) {
        int dim = c.embeddingLength();
        int qDim = c.queryLength();
        int kvDim = c.keyValueLength();
        int ff = c.feedForwardLength();
        boolean sub = c.architecture().hasSubNorms();
        return new LayerWeights(
                r.vector(blk(i, "attn_norm.weight"), dim),
                r.projection(blk(i, "attn_q"), dim, qDim),
                r.projection(blk(i, "attn_k"), dim, kvDim),
                r.projection(blk(i, "attn_v"), dim, kvDim),
                sub ? r.vector(blk(i, "attn_sub_norm.weight"), qDim) : null,
                r.projection(blk(i, "attn_output"), qDim, dim),
                r.vector(blk(i, "ffn_norm.weight"), dim),
                r.projection(blk(i, "ffn_gate"), dim, ff),
                r.projection(blk(i, "ffn_up"), dim, ff),
                sub ? r.vector(blk(i, "ffn_sub_norm.weight"), ff) : null,
                r.projection(blk(i, "ffn_down"), ff, dim));
    }
}
