package io.bitnet4j.model;

import io.bitnet4j.kernel.ActivationType;
import io.bitnet4j.kernel.Activations;
import io.bitnet4j.kernel.FloatRows;
import io.bitnet4j.kernel.MatMul;
import io.bitnet4j.kernel.RangeTask;
import io.bitnet4j.kernel.Summation;
import io.bitnet4j.kernel.WeightMatrix;
import io.bitnet4j.kernel.WorkerPool;

/**
 * The computation of a batch of rows through all layers, with every buffer allocated once for the largest
 * batch. The graph follows llama.cpp's {@code build_llama} / {@code build_bitnet} and bitnet.cpp's
 * {@code build_bitnet_158}: in the last layer only the rows whose logits are wanted go on past the attention
 * output, as upstream does.
 *
 * <p>Each row has its own KV cache and position, so one pass serves both a run of consecutive tokens of one
 * sequence ({@link #run}) and one token of each of several sequences ({@link #step}). The projections are one
 * matrix product over all rows either way (every weight is read once per pass); RoPE, the KV store and
 * attention are per row. In a step the numerics are chosen as for one row, since each sequence contributes
 * one: a sequence's logits then do not depend on which others share the step.
 */
final class ForwardPass {
    private final ModelConfig c;
    private final ModelWeights w;
    private final Numerics numerics;
    /** See {@link #lastLayerRows}. */
    private static final int LAST_LAYER_ROWS = 8;
    private final MatMul matmul;
    private final Attention attention;
    private final Rope rope;
    private final FloatRows floatRows = FloatRows.defaults();
    private final int widest;
    private final int maxTokens;
    private final WorkerPool pool;
    private final NormTask normTask = new NormTask();

    // Row buffers, grown to the largest pass seen so far (up to maxTokens): a session that only decodes keeps one
    // row's worth instead of 512 rows' (about 100 MB for a 2B model), which counts against peak memory.
    private int capacity;
    private Activations acts;
    private float[] x;
    private float[] norm;
    private float[] q;
    private float[] k;
    private float[] v;
    private float[] attn;
    private float[] proj;
    private float[] gate;
    private float[] up;
    // Reused by projectTogether, so that a decode step allocates nothing: the projections, and per count (2, 3) the
    // weights and outputs handed to the multiplier.
    private final Projection[] together = new Projection[3];
    private final WeightMatrix[][] togetherWeights = {new WeightMatrix[2], new WeightMatrix[3]};
    private final float[][][] togetherOuts = {new float[2][], new float[3][]};
    /** The cache and position of each row of the current pass. */
    private final KvCache[] rowCache;
    private final int[] rowPosition;
    /** Whether the rows are one token each of different sequences (numerics chosen as for one row). */
    private boolean oneRowPerSequence;

    /**
     * A pass over {@code model}'s weights on {@code pool}, for up to {@code maxTokens} rows per pass over caches of up
     * to {@code contextLength} positions.
     */
    ForwardPass(Model model, Numerics numerics, WorkerPool pool, int maxTokens, int contextLength) {
        ModelConfig c = model.config();
        this.c = c;
        this.w = model.weights();
        this.numerics = numerics;
        this.widest = Math.max(Math.max(c.embeddingLength(), c.queryLength()), c.feedForwardLength());
        this.maxTokens = maxTokens;
        this.pool = pool;
        Math.multiplyExact(maxTokens, widest); // the largest buffer's length must be an int
        this.matmul = new MatMul(pool, widest);
        this.attention = new Attention(c, contextLength, maxTokens, pool, numerics);
        this.rope = new Rope(c, w.ropeFreqs(), maxTokens);
        ensureRows(1);
        this.rowCache = new KvCache[maxTokens];
        this.rowPosition = new int[maxTokens];
    }

    /**
     * Runs {@code tokens[from .. from+n)} at positions {@code firstPosition ...} and writes the logits of the
     * last {@code outputs} of them (0 to n) to {@code logits[logitsOffset ...]}, one row of vocab each.
     */
    /** See {@link MatMul#readAheadDistances()}. */
    java.util.Map<String, Long> readAheadDistances() {
        return matmul.readAheadDistances();
    }

    void run(KvCache cache, int[] tokens, int from, int n, int firstPosition, int outputs, float[] logits, int logitsOffset) {
        for (int t = 0; t < n; t++) {
            rowCache[t] = cache;
            rowPosition[t] = firstPosition + t;
        }
        oneRowPerSequence = false;
        compute(tokens, from, n, outputs, logits, logitsOffset);
    }

    /**
     * Runs one token of each of {@code n} sequences: {@code tokens[i]} at {@code positions[i]} of {@code caches[i]},
     * writing the logits of row {@code i} to {@code logits[i·vocab ...]}.
     */
    void step(KvCache[] caches, int[] positions, int[] tokens, int n, float[] logits) {
        System.arraycopy(caches, 0, rowCache, 0, n);
        System.arraycopy(positions, 0, rowPosition, 0, n);
        oneRowPerSequence = true;
        compute(tokens, 0, n, n, logits, 0);
    }

    /** Grows the row buffers to hold {@code n} rows (at least doubling, at most {@code maxTokens}). */
    private void ensureRows(int n) {
        if (n <= capacity) {
            return;
        }
        int rows = Math.min(maxTokens, Math.max(n, 2 * capacity));
        acts = new Activations(rows * widest);
        x = new float[rows * c.embeddingLength()];
        norm = new float[rows * widest];
        q = new float[rows * c.queryLength()];
        k = new float[rows * c.keyValueLength()];
        v = new float[rows * c.keyValueLength()];
        attn = new float[rows * c.queryLength()];
        proj = new float[rows * c.embeddingLength()];
        gate = new float[rows * c.feedForwardLength()];
        up = new float[rows * c.feedForwardLength()];
        capacity = rows;
    }

    private void compute(int[] tokens, int from, int n, int outputs, float[] logits, int logitsOffset) {
        ensureRows(n);
        int dim = c.embeddingLength();
        for (int t = 0; t < n; t++) {
            w.tokenEmbedding().dequantizeRow(tokens[from + t], x, t * dim, matmul.callerScratch());
        }
        rope.prepare(rowPosition, n);
        int rows = n;
        for (int layer = 0; layer < c.blockCount(); layer++) {
            LayerWeights l = w.layers().get(layer);
            attentionBlock(layer, l, n);
            if (layer == c.blockCount() - 1) {
                if (outputs == 0) {
                    return;
                }
                rows = keepLastRows(n, lastLayerRows(n, outputs));
            }
            RowOps.add(x, proj, rows * dim);
            feedForwardBlock(l, rows);
        }
        rows = keepLastRows(rows, outputs); // the last layer may have kept more (see lastLayerRows)
        norm(x, norm, rows, dim, w.outputNorm());
        acts.set(norm, rows, dim);
        multiply(w.output(), rows, logits, logitsOffset);
    }

    /** Attention sub-block: leaves {@code Wo · attention} in {@link #proj} for all {@code n} rows. */
    private void attentionBlock(int layer, LayerWeights l, int n) {
        int dim = c.embeddingLength();
        int kvDim = c.keyValueLength();
        norm(x, norm, n, dim, l.attnNorm());
        acts.set(norm, n, dim); // one input, converted once for the three projections
        projectTogether(l.q(), q, l.k(), k, l.v(), v, n);
        rope.apply(q, n, c.headCount());
        rope.apply(k, n, c.headCountKv());
        for (int t = 0; t < n; t++) {
            rowCache[t].store(layer, rowPosition[t], k, t * kvDim, v, t * kvDim);
        }
        attention.run(layer, q, n, rowCache, rowPosition, oneRowPerSequence, attn);
        float[] in = attn;
        if (l.attnSubNorm() != null) {
            norm(attn, norm, n, c.queryLength(), l.attnSubNorm());
            in = norm;
        }
        acts.set(in, n, c.queryLength());
        project(l.o(), n, proj);
    }

    /** Feed-forward sub-block on the first {@code rows} rows of the residual stream, added into it. */
    private void feedForwardBlock(LayerWeights l, int rows) {
        int dim = c.embeddingLength();
        int ff = c.feedForwardLength();
        norm(x, norm, rows, dim, l.ffnNorm());
        acts.set(norm, rows, dim);
        projectTogether(l.gate(), gate, l.up(), up, null, null, rows);
        c.ffnActivation().applyGated(gate, up, rows, ff, numerics.simd(), floatRows);
        float[] in = gate;
        if (l.ffnSubNorm() != null) {
            norm(gate, norm, rows, ff, l.ffnSubNorm());
            in = norm;
        }
        acts.set(in, rows, ff);
        project(l.down(), rows, proj);
        RowOps.add(x, proj, rows * dim);
    }

    /**
     * How many of a prompt's last rows go through the last layer's feed-forward: those whose logits are wanted, but
     * under fast numerics at least {@value #LAST_LAYER_ROWS} (the prompt's batch kernels, whose floats are the one-row
     * kernels' under fast numerics). A cold JVM's first prompt has compiled those by then, not the one-row kernels: one
     * row through them ran 0.12 s of interpreted vector code on a 2B model's first token. Eight, two groups of the
     * batch kernel's four tokens: with one group a product keeps its tables for the next, a path the compiled prompt
     * had not taken, and it was deoptimized there. Exact numerics follow the peer, which computes the wanted rows only.
     */
    private int lastLayerRows(int n, int outputs) {
        return numerics == Numerics.FAST && !oneRowPerSequence ? Math.min(n, Math.max(outputs, LAST_LAYER_ROWS)) : outputs;
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

    /**
     * {@link #project} for two or three projections of the same input ({@code c} may be null), in one dispatch
     * when their activation form and summation agree (see {@link MatMul#multiply(WeightMatrix[], Activations,
     * ActivationType, Summation, float[][], int)}), else one by one.
     */
    private void projectTogether(Projection a, float[] aOut, Projection b, float[] bOut, Projection c, float[] cOut, int rows) {
        int asRows = oneRowPerSequence ? 1 : rows;
        ActivationType as = numerics.activationFor(a.weight(), asRows);
        Summation sum = numerics.summationFor(a.weight(), asRows);
        int count = c == null ? 2 : 3;
        together[0] = a;
        together[1] = b;
        together[2] = c;
        boolean agree = true;
        for (int i = 0; i < count; i++) {
            WeightMatrix w = together[i].weight();
            agree &= numerics.activationFor(w, asRows) == as && numerics.summationFor(w, asRows).equals(sum)
                    && w.cols() == a.weight().cols();
            togetherWeights[count - 2][i] = w;
        }
        if (!agree) {
            project(a, rows, aOut);
            project(b, rows, bOut);
            if (c != null) {
                project(c, rows, cOut);
            }
            return;
        }
        float[][] outs = togetherOuts[count - 2];
        outs[0] = aOut;
        outs[1] = bOut;
        if (c != null) {
            outs[2] = cOut;
        }
        matmul.multiply(togetherWeights[count - 2], acts, as, sum, outs, 0);
        for (int i = 0; i < count; i++) {
            RowOps.scaleAndBias(together[i], outs[i], rows, together[i].weight().rows());
        }
    }

    private void multiply(WeightMatrix m, int rows, float[] out, int outOffset) {
        int asRows = oneRowPerSequence ? 1 : rows; // a step's rows are separate sequences of one row each
        matmul.multiply(m, acts, numerics.activationFor(m, asRows), numerics.summationFor(m, asRows), out, outOffset);
    }

    /**
     * {@link RowOps#rmsNorm} of {@code rows} rows; a prompt's rows are split over the pool (each row is normalized
     * alone, so the split changes no value), which would otherwise wait for the caller's thread alone.
     */
    private void norm(float[] in, float[] out, int rows, int n, float[] weight) {
        if (rows < 2 * MIN_ROWS_PER_PART) {
            RowOps.rmsNorm(in, out, rows, n, weight, c.rmsEpsilon());
            return;
        }
        NormTask t = normTask;
        t.in = in;
        t.out = out;
        t.n = n;
        t.weight = weight;
        try {
            pool.run(rows, MIN_ROWS_PER_PART, t);
        } finally {
            t.in = null;
            t.out = null;
        }
    }

    /** Rows per part of a split {@link #norm}: fewer are not worth waking a worker for. */
    private static final int MIN_ROWS_PER_PART = 8;

    private final class NormTask implements RangeTask {
        float[] in;
        float[] out;
        int n;
        float[] weight;

        @Override
        public void run(int worker, int from, int to) {
            RowOps.rmsNorm(in, out, from, to, n, weight, c.rmsEpsilon());
        }
    }
}
