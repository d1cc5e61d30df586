package io.bitnet4j.model;

import io.bitnet4j.kernel.Activations;
import io.bitnet4j.kernel.MatMul;
import io.bitnet4j.kernel.WeightMatrix;

/**
 * One session's computation of a batch of tokens through all layers, with every buffer allocated once for
 * the largest batch. The graph follows llama.cpp's {@code build_llama} / {@code build_bitnet} and
 * bitnet.cpp's {@code build_bitnet_158}: in the last layer only the rows whose logits are wanted go on
 * past the attention output, as upstream does.
 */
final class ForwardPass {
    private final ModelConfig c;
    private final ModelWeights w;
    private final Numerics numerics;
    private final KvCache cache;
    private final MatMul matmul;
    private final Attention attention;
    private final Rope rope;
    private final Activations acts;

    private final float[] x;
    private final float[] norm;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] attn;
    private final float[] proj;
    private final float[] gate;
    private final float[] up;

    ForwardPass(ModelConfig c, ModelWeights w, Numerics numerics, KvCache cache, MatMul matmul, int maxTokens) {
        this.c = c;
        this.w = w;
        this.numerics = numerics;
        this.cache = cache;
        this.matmul = matmul;
        this.attention = new Attention(c, cache, matmul.pool(), numerics);
        this.rope = new Rope(c, w.ropeFreqs(), maxTokens);
        int widest = Math.max(Math.max(c.embeddingLength(), c.queryLength()), c.feedForwardLength());
        this.acts = new Activations(Math.multiplyExact(maxTokens, widest));
        this.x = new float[maxTokens * c.embeddingLength()];
        this.norm = new float[maxTokens * widest];
        this.q = new float[maxTokens * c.queryLength()];
        this.k = new float[maxTokens * c.keyValueLength()];
        this.v = new float[maxTokens * c.keyValueLength()];
        this.attn = new float[maxTokens * c.queryLength()];
        this.proj = new float[maxTokens * c.embeddingLength()];
        this.gate = new float[maxTokens * c.feedForwardLength()];
        this.up = new float[maxTokens * c.feedForwardLength()];
    }

    /**
     * Runs {@code tokens[from .. from+n)} at positions {@code firstPosition ...} and writes the logits of the
     * last {@code outputs} of them (0 to n) to {@code logits[logitsOffset ...]}, one row of vocab each.
     */
    void run(int[] tokens, int from, int n, int firstPosition, int outputs, float[] logits, int logitsOffset) {
        int dim = c.embeddingLength();
        for (int t = 0; t < n; t++) {
            w.tokenEmbedding().dequantizeRow(tokens[from + t], x, t * dim, matmul.callerScratch());
        }
        rope.prepare(firstPosition, n);
        int rows = n;
        for (int layer = 0; layer < c.blockCount(); layer++) {
            LayerWeights l = w.layers().get(layer);
            attentionBlock(layer, l, n, firstPosition);
            if (layer == c.blockCount() - 1) {
                rows = keepLastRows(n, outputs);
                if (rows == 0) {
                    return;
                }
            }
            RowOps.add(x, proj, rows * dim);
            feedForwardBlock(l, rows);
        }
        RowOps.rmsNorm(x, norm, rows, dim, w.outputNorm(), c.rmsEpsilon());
        acts.set(norm, rows, dim);
        multiply(w.output(), rows, logits, logitsOffset);
    }

    /** Attention sub-block: leaves {@code Wo · attention} in {@link #proj} for all {@code n} rows. */
    private void attentionBlock(int layer, LayerWeights l, int n, int firstPosition) {
        int dim = c.embeddingLength();
        int kvDim = c.keyValueLength();
        RowOps.rmsNorm(x, norm, n, dim, l.attnNorm(), c.rmsEpsilon());
        acts.set(norm, n, dim); // one input, converted once for the three projections
        project(l.q(), n, q);
        project(l.k(), n, k);
        project(l.v(), n, v);
        rope.apply(q, n, c.headCount());
        rope.apply(k, n, c.headCountKv());
        for (int t = 0; t < n; t++) {
            cache.store(layer, firstPosition + t, k, t * kvDim, v, t * kvDim);
        }
        attention.run(layer, q, n, firstPosition, attn);
        float[] in = attn;
        if (l.attnSubNorm() != null) {
            RowOps.rmsNorm(attn, norm, n, c.queryLength(), l.attnSubNorm(), c.rmsEpsilon());
            in = norm;
        }
        acts.set(in, n, c.queryLength());
        project(l.o(), n, proj);
    }

    /** Feed-forward sub-block on the first {@code rows} rows of the residual stream, added into it. */
    private void feedForwardBlock(LayerWeights l, int rows) {
        int dim = c.embeddingLength();
        int ff = c.feedForwardLength();
        RowOps.rmsNorm(x, norm, rows, dim, l.ffnNorm(), c.rmsEpsilon());
        acts.set(norm, rows, dim);
        project(l.gate(), rows, gate);
        project(l.up(), rows, up);
        c.ffnActivation().applyGated(gate, up, rows, ff, numerics.simd());
        float[] in = gate;
        if (l.ffnSubNorm() != null) {
            RowOps.rmsNorm(gate, norm, rows, ff, l.ffnSubNorm(), c.rmsEpsilon());
            in = norm;
        }
        acts.set(in, rows, ff);
        project(l.down(), rows, proj);
        RowOps.add(x, proj, rows * dim);
    }

    /**
     * Moves the rows whose logits are wanted (the last {@code outputs} of {@code n}) to the front of the
     * residual stream and of the attention output, and returns their count.
     */
    private int keepLastRows(int n, int outputs) {
        int dim = c.embeddingLength();
        int skip = n - outputs;
        if (skip > 0 && outputs > 0) {
            System.arraycopy(x, skip * dim, x, 0, outputs * dim);
            System.arraycopy(proj, skip * dim, proj, 0, outputs * dim);
        }
        return outputs;
    }

    /** {@code out = p(acts)} for the {@code rows} rows currently in {@link #acts}. */
    private void project(Projection p, int rows, float[] out) {
        multiply(p.weight(), rows, out, 0);
        RowOps.scaleAndBias(p, out, rows, p.weight().rows());
    }

    private void multiply(WeightMatrix m, int rows, float[] out, int outOffset) {
        matmul.multiply(m, acts, numerics.activationFor(m, rows), numerics.summationFor(m, rows), out, outOffset);
    }
}
