package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;

/**
 * The decoder's forward and backward pass over a batch of {@code seqs} sequences of {@code seqLen} tokens, layer by
 * layer as the small layer classes define them. Parameters and gradients are flat arrays in {@link ParamLayout}
 * order; the activations of the last forward pass are kept for {@link #backward}.
 *
 * <p>Block: {@code x += W_o·subnorm(attn(rope(W_q·n), rope(W_k·n), W_v·n))} with {@code n = norm(x)}, then
 * {@code x += W_down·subnorm(act(W_gate·m) ⊙ W_up·m)} with {@code m = norm(x)}; every {@code W·} is a
 * {@link BitLinearLayer}. The head is the embedding, transposed, in full precision (as BitNet keeps it).
 */
public final class Transformer {
    private final ModelShape s;
    private final ParamLayout layout;
    private final int seqs;
    private final int seqLen;
    private final int rows;
    private final RopeLayer rope;
    private final AttentionLayer attention;
    private final BlockActivations[] acts;
    private final float[] stream;
    private final float[] rstdOut;
    private final float[] normOut;
    private final float[] logits;
    private final float[] weights;
    private final float[] branch;
    private BackwardBuffers backwardBuffers;
    private final Scratch scratch = new Scratch();
    private int[] tokens;
    private Quantization quantization = Quantization.OFF;
    private float[] params;

    /** Buffers for batches of {@code seqs × seqLen} tokens ({@code seqLen ≤ context}). */
    public Transformer(ParamLayout layout, int seqs, int seqLen) {
        this.s = layout.shape();
        this.layout = layout;
        if (seqs <= 0 || seqLen <= 0 || seqLen > s.context()) {
            throw new IllegalArgumentException("batch of " + seqs + " sequences of " + seqLen + " tokens; need ≥ 1 of 1.." + s.context());
        }
        this.seqs = seqs;
        this.seqLen = seqLen;
        this.rows = Math.multiplyExact(seqs, seqLen);
        Math.multiplyExact(rows, Math.max(s.vocab(), s.ffn()));
        this.rope = new RopeLayer(seqLen, s.headDim(), s.ropeTheta());
        this.attention = new AttentionLayer(seqLen, s.heads(), s.kvHeads(), s.headDim());
        this.acts = new BlockActivations[s.layers()];
        for (int l = 0; l < acts.length; l++) {
            acts[l] = new BlockActivations(s, rows, attention.probSize(seqs));
        }
        stream = new float[rows * s.dim()];
        rstdOut = new float[rows];
        normOut = new float[rows * s.dim()];
        logits = new float[rows * s.vocab()];
        weights = new float[layout.size()];
        branch = new float[rows * s.dim()];
    }

    /** Tokens per batch. */
    public int rows() {
        return rows;
    }

    /**
     * Runs the forward pass and returns the mean cross-entropy against {@code targets}; with {@code forTraining} the
     * logits become their gradient, ready for {@link #backward}.
     */
    public double loss(float[] params, int[] tokens, int[] targets, Quantization q, boolean forTraining, WorkerPool pool) {
        if (targets.length != rows) {
            throw new IllegalArgumentException(targets.length + " targets for a batch of " + rows + " tokens");
        }
        forward(params, tokens, q, pool);
        return CrossEntropyLayer.forwardBackward(logits, targets, s.vocab(), forTraining ? 1f / rows : 0f, pool);
    }

    /** The forward pass alone; returns the logits {@code [rows, vocab]} (a copy). */
    public float[] logits(float[] params, int[] tokens, Quantization q, WorkerPool pool) {
        forward(params, tokens, q, pool);
        return logits.clone();
    }

    private void forward(float[] params, int[] tokens, Quantization q, WorkerPool pool) {
        if (params.length != layout.size()) {
            throw new IllegalArgumentException(params.length + " parameters; the model has " + layout.size());
        }
        if (tokens.length != rows) {
            throw new IllegalArgumentException(tokens.length + " tokens for a batch of " + rows);
        }
        this.params = params;
        this.tokens = tokens.clone();
        this.quantization = q;
        for (ParamLayout.Slot slot : layout.slots()) {
            if (slot.kind() == ParamLayout.Kind.LINEAR) {
                BitLinearLayer.quantizeWeight(params, slot, weights, q);
            }
        }
        ParamLayout.Slot emb = layout.embedding();
        EmbeddingLayer.forward(tokens, params, emb.offset(), s.vocab(), s.dim(), stream);
        for (int l = 0; l < s.layers(); l++) {
            blockForward(layout.block(l), acts[l], pool);
        }
        RmsNormLayer.forward(stream, params, layout.outputNorm().offset(), normOut, rstdOut, rows, s.dim(), s.rmsEps(), pool);
        FloatMatmul.abT(normOut, 0, params, emb.offset(), logits, 0, rows, s.vocab(), s.dim(), false, pool);
    }

    private void blockForward(ParamLayout.Block b, BlockActivations a, WorkerPool pool) {
        int d = s.dim(), f = s.ffn();
        float eps = s.rmsEps();
        System.arraycopy(stream, 0, a.xIn, 0, stream.length);
        RmsNormLayer.forward(a.xIn, params, b.attnNorm().offset(), a.attnIn, a.rstdAttn, rows, d, eps, pool);
        a.attnInQ = BitLinearLayer.quantizeInput(a.attnIn, rows, d, quantization, pool);
        BitLinearLayer.forward(a.attnInQ, weights, b.q(), a.q, rows, pool);
        BitLinearLayer.forward(a.attnInQ, weights, b.k(), a.k, rows, pool);
        BitLinearLayer.forward(a.attnInQ, weights, b.v(), a.v, rows, pool);
        rope.forward(a.q, rows, s.heads(), seqLen, pool);
        rope.forward(a.k, rows, s.kvHeads(), seqLen, pool);
        attention.forward(a.q, a.k, a.v, a.att, a.probs, seqs, pool);
        RmsNormLayer.forward(a.att, params, b.attnSubNorm().offset(), a.attnSub, a.rstdAttnSub, rows, d, eps, pool);
        a.attnSubQ = BitLinearLayer.quantizeInput(a.attnSub, rows, d, quantization, pool);
        float[] o = branch;
        BitLinearLayer.forward(a.attnSubQ, weights, b.o(), o, rows, pool);
        ResidualLayer.forward(stream, o);
        System.arraycopy(stream, 0, a.xMid, 0, stream.length);
        RmsNormLayer.forward(a.xMid, params, b.ffnNorm().offset(), a.ffnIn, a.rstdFfn, rows, d, eps, pool);
        a.ffnInQ = BitLinearLayer.quantizeInput(a.ffnIn, rows, d, quantization, pool);
        BitLinearLayer.forward(a.ffnInQ, weights, b.gate(), a.gate, rows, pool);
        BitLinearLayer.forward(a.ffnInQ, weights, b.up(), a.up, rows, pool);
        GatedActivationLayer.forward(s.activation(), a.gate, a.up, a.hidden, pool);
        RmsNormLayer.forward(a.hidden, params, b.ffnSubNorm().offset(), a.ffnSub, a.rstdFfnSub, rows, f, eps, pool);
        a.ffnSubQ = BitLinearLayer.quantizeInput(a.ffnSub, rows, f, quantization, pool);
        BitLinearLayer.forward(a.ffnSubQ, weights, b.down(), o, rows, pool);
        ResidualLayer.forward(stream, o);
    }

    /** Adds the gradient of the last {@link #loss} (called with {@code forTraining}) to {@code grads}. */
    public void backward(float[] grads, WorkerPool pool) {
        if (params == null) {
            throw new IllegalStateException("backward before a forward pass");
        }
        if (grads.length != layout.size()) {
            throw new IllegalArgumentException(grads.length + " gradients; the model has " + layout.size());
        }
        int d = s.dim();
        ParamLayout.Slot emb = layout.embedding();
        float[] dStream = new float[rows * d];
        // Head: logits = normOut · Eᵀ, so dNormOut = dLogits · E and dE += dLogitsᵀ · normOut.
        float[] dNorm = new float[rows * d];
        FloatMatmul.transpose(params, emb.offset(), s.vocab(), d, scratch.a(s.vocab() * d), 0, pool);
        FloatMatmul.abT(logits, 0, scratch.a(0), 0, dNorm, 0, rows, d, s.vocab(), false, pool);
        float[] dLogitsT = new float[s.vocab() * rows];
        FloatMatmul.transpose(logits, 0, rows, s.vocab(), dLogitsT, 0, pool);
        FloatMatmul.transpose(normOut, 0, rows, d, scratch.b(d * rows), 0, pool);
        FloatMatmul.abT(dLogitsT, 0, scratch.b(0), 0, grads, emb.offset(), s.vocab(), d, rows, true, pool);
        RmsNormLayer.backward(stream, params, layout.outputNorm().offset(), rstdOut, dNorm, dStream, false, grads,
                layout.outputNorm().offset(), rows, d, pool);
        if (backwardBuffers == null) {
            backwardBuffers = new BackwardBuffers(s, rows);
        }
        BackwardBuffers buf = backwardBuffers;
        for (int l = s.layers() - 1; l >= 0; l--) {
            blockBackward(layout.block(l), acts[l], dStream, grads, buf, pool);
        }
        EmbeddingLayer.backward(tokens, dStream, grads, emb.offset(), d);
    }

    /** Gradient buffers shared by the blocks' backward passes. */
    private record BackwardBuffers(float[] dModel, float[] dModel2, float[] dFfnA, float[] dFfnB, float[] dFfnC, float[] dq,
                                   float[] dk, float[] dv) {
        BackwardBuffers(ModelShape s, int rows) {
            this(new float[rows * s.dim()], new float[rows * s.dim()], new float[rows * s.ffn()], new float[rows * s.ffn()],
                    new float[rows * s.ffn()], new float[rows * s.dim()], new float[rows * s.kvDim()], new float[rows * s.kvDim()]);
        }
    }

    private void blockBackward(ParamLayout.Block b, BlockActivations a, float[] dStream, float[] grads, BackwardBuffers buf,
                               WorkerPool pool) {
        int d = s.dim(), f = s.ffn();
        // FFN branch: its output gradient is the stream's.
        float[] dOut = ResidualLayer.backward(dStream);
        BitLinearLayer.backward(dOut, a.ffnSubQ, weights, b.down(), buf.dFfnA(), false, grads, rows, scratch, pool);
        RmsNormLayer.backward(a.hidden, params, b.ffnSubNorm().offset(), a.rstdFfnSub, buf.dFfnA(), buf.dFfnB(), false, grads,
                b.ffnSubNorm().offset(), rows, f, pool);
        GatedActivationLayer.backward(s.activation(), a.gate, a.up, buf.dFfnB(), buf.dFfnA(), buf.dFfnC(), pool);
        BitLinearLayer.backward(buf.dFfnA(), a.ffnInQ, weights, b.gate(), buf.dModel(), false, grads, rows, scratch, pool);
        BitLinearLayer.backward(buf.dFfnC(), a.ffnInQ, weights, b.up(), buf.dModel(), true, grads, rows, scratch, pool);
        RmsNormLayer.backward(a.xMid, params, b.ffnNorm().offset(), a.rstdFfn, buf.dModel(), dStream, true, grads,
                b.ffnNorm().offset(), rows, d, pool);
        // Attention branch.
        dOut = ResidualLayer.backward(dStream);
        BitLinearLayer.backward(dOut, a.attnSubQ, weights, b.o(), buf.dModel(), false, grads, rows, scratch, pool);
        RmsNormLayer.backward(a.att, params, b.attnSubNorm().offset(), a.rstdAttnSub, buf.dModel(), buf.dModel2(), false, grads,
                b.attnSubNorm().offset(), rows, d, pool);
        attention.backward(a.q, a.k, a.v, a.probs, buf.dModel2(), buf.dq(), buf.dk(), buf.dv(), seqs, pool);
        rope.backward(buf.dq(), rows, s.heads(), seqLen, pool);
        rope.backward(buf.dk(), rows, s.kvHeads(), seqLen, pool);
        BitLinearLayer.backward(buf.dq(), a.attnInQ, weights, b.q(), buf.dModel(), false, grads, rows, scratch, pool);
        BitLinearLayer.backward(buf.dk(), a.attnInQ, weights, b.k(), buf.dModel(), true, grads, rows, scratch, pool);
        BitLinearLayer.backward(buf.dv(), a.attnInQ, weights, b.v(), buf.dModel(), true, grads, rows, scratch, pool);
        RmsNormLayer.backward(a.xIn, params, b.attnNorm().offset(), a.rstdAttn, buf.dModel(), dStream, true, grads,
                b.attnNorm().offset(), rows, d, pool);
    }
}
