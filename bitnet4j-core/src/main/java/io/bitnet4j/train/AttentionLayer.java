package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;

/**
 * Causal grouped-query attention over sequences of {@code seqLen} rows: query head {@code h} reads key/value head
 * {@code h / groupSize}. {@code out_t = Σ_{j≤t} softmax_j(q_t·k_j/√d) · v_j}. The forward pass keeps the
 * probabilities ({@code [seqs, heads, seqLen, seqLen]}, lower triangle) for the backward pass.
 *
 * <p>Work is split over (sequence, key/value head) pairs, each of which owns its keys' and values' gradients and its
 * query heads' outputs, so no two threads add to the same element and every sum runs in a fixed order.
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

    /** q {@code [rows, heads·d]}, k and v {@code [rows, kvHeads·d]} → out {@code [rows, heads·d]}; fills {@code probs}. */
    void forward(float[] q, float[] k, float[] v, float[] out, float[] probs, int seqs, WorkerPool pool) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int group = heads / kvHeads;
        pool.run(seqs * kvHeads, 1, (worker, from, to) -> {
            float[] lanes = new float[64];
            for (int job = from; job < to; job++) {
                int b = job / kvHeads, kvh = job % kvHeads;
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    for (int t = 0; t < seqLen; t++) {
                        int qo = qOffset(b, t, h);
                        int po = probOffset(b, h, t);
                        float max = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j <= t; j++) {
                            float s = FloatMatmul.dot(q, qo, k, kvOffset(b, j, kvh), headDim, lanes) * scale;
                            probs[po + j] = s;
                            max = Math.max(max, s);
                        }
                        double sum = 0;
                        for (int j = 0; j <= t; j++) {
                            float e = (float) Math.exp(probs[po + j] - max);
                            probs[po + j] = e;
                            sum += e;
                        }
                        float inv = (float) (1.0 / sum);
                        int oo = qOffset(b, t, h);
                        java.util.Arrays.fill(out, oo, oo + headDim, 0f);
                        for (int j = 0; j <= t; j++) {
                            float p = probs[po + j] * inv;
                            probs[po + j] = p;
                            int vo = kvOffset(b, j, kvh);
                            for (int i = 0; i < headDim; i++) {
                                out[oo + i] += p * v[vo + i];
                            }
                        }
                    }
                }
            }
        });
    }

    /** Writes dq and (overwriting) dk, dv from dOut, with the saved probabilities. */
    void backward(float[] q, float[] k, float[] v, float[] probs, float[] dOut, float[] dq, float[] dk, float[] dv, int seqs,
                  WorkerPool pool) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int group = heads / kvHeads;
        pool.run(seqs * kvHeads, 1, (worker, from, to) -> {
            float[] lanes = new float[64];
            float[] ds = new float[seqLen];
            for (int job = from; job < to; job++) {
                int b = job / kvHeads, kvh = job % kvHeads;
                for (int t = 0; t < seqLen; t++) {
                    int ko = kvOffset(b, t, kvh);
                    java.util.Arrays.fill(dk, ko, ko + headDim, 0f);
                    java.util.Arrays.fill(dv, ko, ko + headDim, 0f);
                }
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    for (int t = 0; t < seqLen; t++) {
                        int qo = qOffset(b, t, h);
                        int po = probOffset(b, h, t);
                        double pdp = 0;
                        for (int j = 0; j <= t; j++) {
                            int vo = kvOffset(b, j, kvh);
                            float dp = FloatMatmul.dot(dOut, qo, v, vo, headDim, lanes);
                            ds[j] = dp;
                            pdp += (double) probs[po + j] * dp;
                            float p = probs[po + j];
                            for (int i = 0; i < headDim; i++) {
                                dv[vo + i] += p * dOut[qo + i];
                            }
                        }
                        java.util.Arrays.fill(dq, qo, qo + headDim, 0f);
                        float c = (float) pdp;
                        for (int j = 0; j <= t; j++) {
                            float g = probs[po + j] * (ds[j] - c) * scale;
                            int kj = kvOffset(b, j, kvh);
                            for (int i = 0; i < headDim; i++) {
                                dq[qo + i] += g * k[kj + i];
                                dk[kj + i] += g * q[qo + i];
                            }
                        }
                    }
                }
            }
        });
    }

    private int qOffset(int b, int t, int h) {
        return ((b * seqLen + t) * heads + h) * headDim;
    }

    private int kvOffset(int b, int t, int kvh) {
        return ((b * seqLen + t) * kvHeads + kvh) * headDim;
    }

    private int probOffset(int b, int h, int t) {
        return ((b * heads + h) * seqLen + t) * seqLen;
    }
}
