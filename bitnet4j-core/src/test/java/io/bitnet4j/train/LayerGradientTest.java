package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each layer's backward pass against central differences of {@code L = Σ w·forward(x)} for a random {@code w}, with
 * small dims so every input and parameter element is checked.
 */
class LayerGradientTest {
    static WorkerPool pool;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void rmsNorm() {
        SplittableRandom r = new SplittableRandom(1);
        int rows = 3, n = 7;
        float[] x = GradCheck.gaussian(r, rows * n, 1);
        float[] w = GradCheck.gaussian(r, n, 1);
        float[] upstream = GradCheck.gaussian(r, rows * n, 1);
        ToDoubleFunction<float[]> lossX = xs -> {
            float[] y = new float[rows * n];
            RmsNormLayer.forward(xs, w, 0, y, new float[rows], rows, n, 1e-5f, pool);
            return GradCheck.dot(upstream, y);
        };
        float[] y = new float[rows * n];
        float[] rstd = new float[rows];
        RmsNormLayer.forward(x, w, 0, y, rstd, rows, n, 1e-5f, pool);
        float[] dx = new float[rows * n];
        float[] dw = new float[n];
        RmsNormLayer.backward(x, w, 0, rstd, upstream, dx, false, dw, 0, rows, n, pool);
        GradCheck.check("rmsnorm dx", x, dx, lossX);
        GradCheck.check("rmsnorm dw", w, dw, ws -> {
            float[] out = new float[rows * n];
            RmsNormLayer.forward(x, ws, 0, out, new float[rows], rows, n, 1e-5f, pool);
            return GradCheck.dot(upstream, out);
        });
    }

    @Test
    void bitLinearUnquantizedIsALinearLayer() {
        SplittableRandom r = new SplittableRandom(2);
        int rows = 3, in = 5, out = 4;
        ParamLayout.Slot slot = new ParamLayout.Slot("w", ParamLayout.Kind.LINEAR, 0, out, in);
        float[] x = GradCheck.gaussian(r, rows * in, 1);
        float[] w = GradCheck.gaussian(r, out * in, 1);
        float[] upstream = GradCheck.gaussian(r, rows * out, 1);
        float[] dx = new float[rows * in];
        float[] dw = new float[out * in];
        BitLinearLayer.backward(upstream, x, w, slot, dx, false, dw, rows, new Scratch(), pool);
        GradCheck.check("linear dx", x, dx, xs -> {
            float[] y = new float[rows * out];
            BitLinearLayer.forward(xs, w, slot, y, rows, pool);
            return GradCheck.dot(upstream, y);
        });
        GradCheck.check("linear dw", w, dw, ws -> {
            float[] y = new float[rows * out];
            BitLinearLayer.forward(x, ws, slot, y, rows, pool);
            return GradCheck.dot(upstream, y);
        });
    }

    @Test
    void attentionWithGroupedHeads() {
        SplittableRandom r = new SplittableRandom(3);
        int seqs = 2, len = 5, heads = 4, kvHeads = 2, d = 4;
        AttentionLayer att = new AttentionLayer(len, heads, kvHeads, d);
        int rows = seqs * len;
        float[] q = GradCheck.gaussian(r, rows * heads * d, 1);
        float[] k = GradCheck.gaussian(r, rows * kvHeads * d, 1);
        float[] v = GradCheck.gaussian(r, rows * kvHeads * d, 1);
        float[] upstream = GradCheck.gaussian(r, rows * heads * d, 1);
        float[] probs = new float[att.probSize(seqs)];
        float[] out = new float[rows * heads * d];
        att.forward(q, k, v, out, probs, seqs, pool);
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        att.backward(q, k, v, probs, upstream, dq, dk, dv, seqs, pool);
        GradCheck.check("attention dq", q, dq, qs -> attentionLoss(att, qs, k, v, upstream, seqs));
        GradCheck.check("attention dk", k, dk, ks -> attentionLoss(att, q, ks, v, upstream, seqs));
        GradCheck.check("attention dv", v, dv, vs -> attentionLoss(att, q, k, vs, upstream, seqs));
    }

    private static double attentionLoss(AttentionLayer att, float[] q, float[] k, float[] v, float[] upstream, int seqs) {
        float[] out = new float[q.length];
        att.forward(q, k, v, out, new float[att.probSize(seqs)], seqs, pool);
        return GradCheck.dot(upstream, out);
    }

    @Test
    void ropeBackwardIsTheTransposedRotation() {
        SplittableRandom r = new SplittableRandom(4);
        int rows = 6, heads = 2, d = 8, seqLen = 3;
        RopeLayer rope = new RopeLayer(seqLen, d, 10000f);
        float[] x = GradCheck.gaussian(r, rows * heads * d, 1);
        float[] upstream = GradCheck.gaussian(r, x.length, 1);
        float[] dx = upstream.clone();
        rope.backward(dx, rows, heads, seqLen, pool);
        GradCheck.check("rope dx", x, dx, xs -> {
            float[] y = xs.clone();
            rope.forward(y, rows, heads, seqLen, pool);
            return GradCheck.dot(upstream, y);
        });
    }

    @ParameterizedTest
    @EnumSource(GateActivation.class)
    void gatedActivation(GateActivation act) {
        SplittableRandom r = new SplittableRandom(5);
        int n = 40;
        float[] g = GradCheck.gaussian(r, n, 1.5);
        float[] u = GradCheck.gaussian(r, n, 1);
        for (int i = 0; i < n; i++) { // keep relu² away from its kink, where a difference quotient straddles it
            if (Math.abs(g[i]) < 0.01f) {
                g[i] = 0.5f;
            }
        }
        float[] upstream = GradCheck.gaussian(r, n, 1);
        float[] dg = new float[n], du = new float[n];
        GatedActivationLayer.backward(act, g, u, upstream, dg, du, pool);
        GradCheck.check(act + " dgate", g, dg, gs -> {
            float[] h = new float[n];
            GatedActivationLayer.forward(act, gs, u, h, pool);
            return GradCheck.dot(upstream, h);
        });
        GradCheck.check(act + " dup", u, du, us -> {
            float[] h = new float[n];
            GatedActivationLayer.forward(act, g, us, h, pool);
            return GradCheck.dot(upstream, h);
        });
    }

    @Test
    void crossEntropy() {
        SplittableRandom r = new SplittableRandom(6);
        int rows = 4, vocab = 9;
        float[] logits = GradCheck.gaussian(r, rows * vocab, 2);
        int[] targets = {0, 8, 3, 3};
        float[] grad = logits.clone();
        CrossEntropyLayer.forwardBackward(grad, targets, vocab, 1f / rows, pool);
        GradCheck.check("cross-entropy", logits, grad, ls -> CrossEntropyLayer.forwardBackward(ls.clone(), targets, vocab, 0f, pool));
    }

    @Test
    void embeddingAndResidual() {
        SplittableRandom r = new SplittableRandom(7);
        int vocab = 5, dim = 3;
        int[] tokens = {4, 1, 4, 0};
        float[] table = GradCheck.gaussian(r, vocab * dim, 1);
        float[] base = GradCheck.gaussian(r, tokens.length * dim, 1);
        float[] upstream = GradCheck.gaussian(r, tokens.length * dim, 1);
        float[] dTable = new float[table.length];
        EmbeddingLayer.backward(tokens, ResidualLayer.backward(upstream), dTable, 0, dim);
        GradCheck.check("embedding", table, dTable, ts -> {
            float[] e = new float[tokens.length * dim];
            EmbeddingLayer.forward(tokens, ts, 0, vocab, dim, e);
            float[] stream = base.clone();
            ResidualLayer.forward(stream, e);
            return GradCheck.dot(upstream, stream);
        });
    }
}
