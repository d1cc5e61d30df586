package io.bitnet4j.model;

import io.bitnet4j.kernel.GgmlSimd;
import io.bitnet4j.kernel.RangeTask;
import io.bitnet4j.kernel.Summation;
import io.bitnet4j.kernel.WorkerPool;
import java.util.Arrays;

/**
 * Causal grouped-query attention over the KV cache, with the steps of ggml's non-flash path: scores
 * {@code (q·k)·(1/sqrtf(head_dim))} (with an F16 cache Q is rounded to f16 first), the row maximum
 * subtracted, ggml's {@code expf}, the sum per 16 values added up in double, probabilities
 * {@code e·(float)(1/sum)} (rounded to f16 before P·V where the peer does), then {@code Σ p·v}; both
 * products summed in the order of the ggml routine the peer uses ({@link Numerics}, {@link Summation}).
 * The peers attend over a KV view padded to 32 positions; padding only shows in where sums split.
 * Query head {@code h} reads KV head {@code h / (heads / kvHeads)}. The (token, head) pairs are spread
 * over the worker pool.
 */
final class Attention {
    /** llama.cpp pads the KV view to this many cells (without flash attention). */
    private static final int KV_PAD = 32;
    private static final int MIN_WORK_PER_THREAD = 1 << 14;

    private final KvCache cache;
    private final WorkerPool pool;
    private final Numerics numerics;
    private final GgmlSimd simd;
    private final int heads;
    private final int headDim;
    private final int group;
    private final float scale;
    private final Scratch[] scratch;
    private final PairTask task = new PairTask();

    /** Per-worker buffers. */
    private static final class Scratch {
        final float[] scores;
        final float[] query;
        final float[] row;
        final float[] lanes = new float[4 * GgmlSimd.AVX512.lanes()];
        final float[] columns;
        final double[] tail;

        Scratch(int contextLength, int headDim) {
            scores = new float[contextLength + KV_PAD];
            query = new float[headDim];
            row = new float[headDim];
            columns = new float[4 * GgmlSimd.AVX512.lanes() * headDim];
            tail = new double[headDim];
        }
    }

    Attention(ModelConfig c, KvCache cache, WorkerPool pool, Numerics numerics) {
        this.cache = cache;
        this.pool = pool;
        this.numerics = numerics;
        this.simd = numerics.simd();
        this.heads = c.headCount();
        this.headDim = c.headDim();
        this.group = c.headCount() / c.headCountKv();
        this.scale = 1.0f / (float) Math.sqrt((float) headDim);
        this.scratch = new Scratch[pool.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(cache.contextLength, headDim);
        }
    }

    /**
     * Attention for {@code tokens} query rows at positions {@code firstPosition ...} of layer {@code layer},
     * whose keys and values are already in the cache: reads {@code q[t·heads·headDim ...]}, writes
     * {@code out} in the same layout.
     */
    void run(int layer, float[] q, int tokens, int firstPosition, float[] out) {
        PairTask t = task;
        t.layer = layer;
        t.q = q;
        t.out = out;
        t.firstPosition = firstPosition;
        int used = firstPosition + tokens;
        t.viewLength = Math.min(cache.contextLength, Math.max(KV_PAD, (used + KV_PAD - 1) / KV_PAD * KV_PAD));
        boolean f16 = cache.isF16();
        t.roundProbabilities = numerics.roundsProbabilities(f16, tokens, t.viewLength);
        t.keyQuery = numerics.keyQuerySummation(f16, tokens, headDim);
        t.probValue = numerics.probabilityValueSummation(f16, tokens, t.viewLength);
        long workPerPair = 4L * headDim * used;
        int minPairs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, MIN_WORK_PER_THREAD / workPerPair));
        try {
            pool.run(tokens * heads, minPairs, t);
        } finally {
            t.q = null;
            t.out = null;
        }
    }

    private final class PairTask implements RangeTask {
        int layer;
        float[] q;
        float[] out;
        int firstPosition;
        int viewLength;
        boolean roundProbabilities;
        Summation keyQuery;
        Summation probValue;

        @Override
        public void run(int worker, int from, int to) {
            for (int i = from; i < to; i++) {
                attend(i / heads, i % heads, scratch[worker]);
            }
        }

        private void attend(int t, int h, Scratch s) {
            int n = firstPosition + t + 1;
            int at = (t * heads + h) * headDim;
            int kvFrom = (h / group) * headDim;
            for (int i = 0; i < headDim; i++) {
                s.query[i] = cache.isF16() ? Float.float16ToFloat(Float.floatToFloat16(q[at + i])) : q[at + i];
            }
            float[] p = s.scores;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                cache.readKey(layer, j, kvFrom, s.row, 0, headDim);
                p[j] = keyQuery.dot(s.query, 0, s.row, 0, headDim, s.lanes) * scale;
                max = Math.max(max, p[j]);
            }
            for (int j = 0; j < n; j++) {
                p[j] = simd.expf(p[j] - max);
            }
            int w = simd.lanes();
            int padded = (n + w - 1) / w * w;
            Arrays.fill(p, n, padded, 0f); // masked positions: exp(-inf) = 0
            double sum = 0;
            for (int c = 0; c < padded; c += w) {
                sum += simd.horizontalSum(p, c, 1);
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < n; j++) {
                p[j] *= inv;
                if (roundProbabilities) {
                    p[j] = Float.float16ToFloat(Float.floatToFloat16(p[j]));
                }
            }
            weightedValues(p, n, kvFrom, out, at, s);
        }

        /** {@code out[at + d] = Σ_j p[j]·V[j, kvFrom + d]}, summed per {@link #probValue}. */
        private void weightedValues(float[] p, int n, int kvFrom, float[] out, int at, Scratch s) {
            float[] acc = s.columns;
            boolean tiny = probValue.routine() == Summation.Routine.TINY_BLAS;
            int lanes = tiny ? simd.lanes() : simd.vecDotStep();
            int whole = tiny ? n : Math.min(n, viewLength - viewLength % simd.vecDotStep());
            Arrays.fill(acc, 0, lanes * headDim, 0f);
            for (int j = 0; j < whole; j++) {
                cache.readValue(layer, j, kvFrom, s.row, 0, headDim);
                int base = (j % lanes) * headDim;
                float pj = p[j];
                for (int d = 0; d < headDim; d++) {
                    acc[base + d] = Math.fma(pj, s.row[d], acc[base + d]);
                }
            }
            if (tiny) {
                for (int d = 0; d < headDim; d++) {
                    out[at + d] = simd.horizontalSum(acc, d, headDim);
                }
                return;
            }
            boolean anyWhole = viewLength >= simd.vecDotStep();
            for (int d = 0; d < headDim; d++) {
                s.tail[d] = anyWhole ? simd.reduceFour(acc, d, headDim) : 0f;
            }
            float[] row = s.row;
            for (int j = whole; j < n; j++) {
                cache.readValue(layer, j, kvFrom, row, 0, headDim);
                for (int d = 0; d < headDim; d++) {
                    if (probValue.routine() == Summation.Routine.VEC_DOT_F16) {
                        s.tail[d] += p[j] * row[d];
                    } else {
                        s.tail[d] = Math.fma(p[j], row[d], (float) s.tail[d]);
                    }
                }
            }
            for (int d = 0; d < headDim; d++) {
                out[at + d] = (float) s.tail[d];
            }
        }
    }
}
