package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;
import java.util.Arrays;

/**
 * Causal grouped-query attention over sequences of {@code seqLen} rows: query head {@code h} reads key/value head
 * {@code h / groupSize}. {@code out_t = Σ_{j≤t} softmax_j(q_t·k_j/√d) · v_j}. The forward pass keeps the
 * probabilities ({@code [seqs, heads, seqLen, seqLen]}, zero above the diagonal) for the backward pass.
 *
 * <p>Each (sequence, head) is a handful of small dense products ({@code S = Q·Kᵀ}, {@code O = P·V} and, backward,
 * {@code dP = dO·Vᵀ}, {@code dQ = dS·K}, {@code dK = dSᵀ·Q}, {@code dV = Pᵀ·dO}) done by {@link FloatMatmul}'s
 * kernel on the head's rows gathered into contiguous arrays; the masked upper triangle costs a factor two in the
 * products but lets them run at matmul speed. Work is split over (sequence, key/value head) pairs, each of which owns
 * its keys' and values' gradients and its query heads' rows, so every sum runs in a fixed order on one thread.
 */
final class AttentionLayer {
    private final int seqLen;
    private final int heads;
    private final int kvHeads;
    private final int headDim;

    AttentionLayer(int seqLen, int heads, int kvHeads, int headDim) {
        this.seqLen = seqLen;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
    }

    /** Size of the probability buffer for {@code seqs} sequences. */
    int probSize(int seqs) {
        return seqs * heads * seqLen * seqLen;
    }

    /** Per-thread work arrays. */
    private final class Work {
        final float[] qh = new float[seqLen * headDim];
        final float[] kh = new float[seqLen * headDim];
        final float[] vh = new float[seqLen * headDim];
        final float[] tA = new float[seqLen * headDim];
        final float[] tB = new float[seqLen * headDim];
        final float[] oh = new float[seqLen * headDim];
        final float[] dK = new float[seqLen * headDim];
        final float[] dV = new float[seqLen * headDim];
        final float[] square = new float[seqLen * seqLen];
        final float[] squareT = new float[seqLen * seqLen];
    }

    /** q {@code [rows, heads·d]}, k and v {@code [rows, kvHeads·d]} → out {@code [rows, heads·d]}; fills {@code probs}. */
    void forward(float[] q, float[] k, float[] v, float[] out, float[] probs, int seqs, WorkerPool pool) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int group = heads / kvHeads;
        int t2 = seqLen * seqLen;
        pool.run(seqs * kvHeads, 1, (worker, from, to) -> {
            Work w = new Work();
            for (int job = from; job < to; job++) {
                int b = job / kvHeads, kvh = job % kvHeads;
                gather(k, b, kvh, kvHeads, w.kh);
                gather(v, b, kvh, kvHeads, w.vh);
                FloatMatmul.transposeSerial(w.vh, 0, seqLen, headDim, w.tB); // Vᵀ [d, T]
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    gather(q, b, h, heads, w.qh);
                    int po = (b * heads + h) * t2;
                    FloatMatmul.abTSerial(w.qh, 0, w.kh, 0, probs, po, seqLen, seqLen, headDim, false);
                    for (int t = 0; t < seqLen; t++) {
                        softmaxRow(probs, po + t * seqLen, t, scale);
                    }
                    FloatMatmul.abTSerial(probs, po, w.tB, 0, w.oh, 0, seqLen, headDim, seqLen, false);
                    scatter(w.oh, out, b, h, heads);
                }
            }
        });
    }

    /** Row {@code t} of the scores: scaled, masked after {@code t}, softmaxed in place. */
    private void softmaxRow(float[] p, int at, int t, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j <= t; j++) {
            p[at + j] *= scale;
            max = Math.max(max, p[at + j]);
        }
        double sum = 0;
        for (int j = 0; j <= t; j++) {
            float e = (float) Math.exp(p[at + j] - max);
            p[at + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j <= t; j++) {
            p[at + j] *= inv;
        }
        Arrays.fill(p, at + t + 1, at + seqLen, 0f);
    }

    /** Writes dq, dk and dv (overwriting them) from dOut, with the saved probabilities. */
    void backward(float[] q, float[] k, float[] v, float[] probs, float[] dOut, float[] dq, float[] dk, float[] dv, int seqs,
                  WorkerPool pool) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int group = heads / kvHeads;
        int t2 = seqLen * seqLen;
        pool.run(seqs * kvHeads, 1, (worker, from, to) -> {
            Work w = new Work();
            float[] kT = new float[seqLen * headDim];
            for (int job = from; job < to; job++) {
                int b = job / kvHeads, kvh = job % kvHeads;
                gather(k, b, kvh, kvHeads, w.kh);
                gather(v, b, kvh, kvHeads, w.vh);
                FloatMatmul.transposeSerial(w.kh, 0, seqLen, headDim, kT); // Kᵀ [d, T]
                Arrays.fill(w.dK, 0f);
                Arrays.fill(w.dV, 0f);
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    int po = (b * heads + h) * t2;
                    gather(dOut, b, h, heads, w.oh); // dO_h [T, d]
                    gather(q, b, h, heads, w.qh);
                    // dP = dO·Vᵀ, then dS = P ⊙ (dP − rowsum(P ⊙ dP)) · scale, in place in `square`.
                    FloatMatmul.abTSerial(w.oh, 0, w.vh, 0, w.square, 0, seqLen, seqLen, headDim, false);
                    for (int t = 0; t < seqLen; t++) {
                        int r = t * seqLen;
                        double dot = 0;
                        for (int j = 0; j <= t; j++) {
                            dot += (double) probs[po + r + j] * w.square[r + j];
                        }
                        float c = (float) dot;
                        for (int j = 0; j <= t; j++) {
                            w.square[r + j] = probs[po + r + j] * (w.square[r + j] - c) * scale;
                        }
                        Arrays.fill(w.square, r + t + 1, r + seqLen, 0f);
                    }
                    // dQ = dS·K
                    FloatMatmul.abTSerial(w.square, 0, kT, 0, w.tA, 0, seqLen, headDim, seqLen, false);
                    scatter(w.tA, dq, b, h, heads);
                    // dK += dSᵀ·Q
                    FloatMatmul.transposeSerial(w.square, 0, seqLen, seqLen, w.squareT);
                    FloatMatmul.transposeSerial(w.qh, 0, seqLen, headDim, w.tB);
                    FloatMatmul.abTSerial(w.squareT, 0, w.tB, 0, w.dK, 0, seqLen, headDim, seqLen, true);
                    // dV += Pᵀ·dO
                    FloatMatmul.transposeSerial(probs, po, seqLen, seqLen, w.squareT);
                    FloatMatmul.transposeSerial(w.oh, 0, seqLen, headDim, w.tB);
                    FloatMatmul.abTSerial(w.squareT, 0, w.tB, 0, w.dV, 0, seqLen, headDim, seqLen, true);
                }
                scatter(w.dK, dk, b, kvh, kvHeads);
                scatter(w.dV, dv, b, kvh, kvHeads);
            }
        });
    }

    /** Head {@code h}'s rows of sequence {@code b} ({@code [T, d]} within rows of {@code n·d}) into {@code out}. */
    private void gather(float[] x, int b, int h, int n, float[] out) {
        for (int t = 0; t < seqLen; t++) {
            System.arraycopy(x, ((b * seqLen + t) * n + h) * headDim, out, t * headDim, headDim);
        }
    }

    private void scatter(float[] in, float[] x, int b, int h, int n) {
        for (int t = 0; t < seqLen; t++) {
            System.arraycopy(in, t * headDim, x, ((b * seqLen + t) * n + h) * headDim, headDim);
        }
    }
}
