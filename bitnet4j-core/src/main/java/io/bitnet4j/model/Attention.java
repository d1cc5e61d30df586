package io.bitnet4j.model;

import io.bitnet4j.kernel.FloatRows;
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
 * products summed in the order of the ggml routine the peer uses ({@link Numerics}, {@link Summation}). Under
 * {@link Numerics#FAST} (its {@link Summation.Routine#KERNEL_ORDER}) both products are vectorized ({@link FloatRows})
 * in one fixed order, whatever the number of query rows.
 * The peers attend over a KV view padded to 32 positions; padding only shows in where sums split.
 * Query head {@code h} reads KV head {@code h / (heads / kvHeads)}. The (token, head) pairs are spread
 * over the worker pool, head by head. When the rows are consecutive tokens of one sequence (a prompt), the layer's keys
 * and values are widened to floats once for all of them ({@link KvCache#readKeys}), not once per row and head (and
 * under {@link Numerics#FAST} the keys are also transposed in blocks, so that a query's scores need no sum across lanes). Each
 * query row reads its own cache up to its own position, so the rows may belong to one sequence (consecutive
 * positions) or to several (one row each).
 */
final class Attention {
    /** llama.cpp pads the KV view to this many cells (without flash attention). */
    private static final int KV_PAD = 32;
    private static final int MIN_WORK_PER_THREAD = 1 << 14;
    /** Keys (values) read from the cache at a time by the vectorized products when the layer is not widened. */
    private static final int BLOCK = 32;
    /**
     * Positions from which a prompt's keys are transposed for {@link FloatRows#scoresTransposed}. Shorter prompts take
     * the same scores key by key ({@link FloatRows#scores}, which decoding uses too): their attention is a small part
     * of their time, and one routine fewer for the JIT to compile makes a first short prompt faster.
     */
    private static final int MIN_TRANSPOSED = 256;
    /**
     * The same in a peer's order (exact numerics), where key by key each score ends in a sum across the peer's
     * register: a perplexity chunk of 128 is worth transposing.
     */
    private static final int MIN_TRANSPOSED_PEER = 32;

    private final WorkerPool pool;
    private final Numerics numerics;
    private final GgmlSimd simd;
    private final FloatRows rows = FloatRows.defaults();
    private final int heads;
    private final int headDim;
    private final int group;
    private final int kvDim;
    private final float scale;
    private final Scratch[] scratch;
    private final PairTask task = new PairTask();
    /** The current prompt's keys and values as floats, {@code [position][kvDim]}; grown as prompts get longer. */
    private float[] wideKeys = new float[0];
    private float[] wideValues = new float[0];
    /**
     * Under {@link Numerics#FAST}, the widened keys in blocks of {@link FloatRows#keyBlock} positions, each block
     * transposed ({@code [block][kvDim][position in block]}): the scores of a block of keys are then summed lane by lane
     * ({@link FloatRows#scoresTransposed}) from one run of memory, without adding across a vector for each key.
     */
    private float[] keysT = new float[0];

    /** Per-worker buffers. */
    private static final class Scratch {
        final float[] scores;
        final float[] query;
        final float[] row;
        final float[] block;
        final float[] lanes = new float[4 * GgmlSimd.AVX512.lanes()];
        final float[] columns;
        final double[] tail;

        Scratch(int contextLength, int headDim) {
            scores = new float[contextLength + KV_PAD];
            query = new float[headDim];
            row = new float[headDim];
            block = new float[BLOCK * headDim];
            columns = new float[4 * GgmlSimd.AVX512.lanes() * headDim];
            tail = new double[headDim];
        }
    }

    /** For up to {@code maxRows} query rows over caches of up to {@code contextLength} positions. */
    Attention(ModelConfig c, int contextLength, int maxRows, WorkerPool pool, Numerics numerics) {
        this.pool = pool;
        this.numerics = numerics;
        this.simd = numerics.simd();
        this.heads = c.headCount();
        this.headDim = c.headDim();
        this.group = c.headCount() / c.headCountKv();
        this.kvDim = c.keyValueLength();
        this.scale = 1.0f / (float) Math.sqrt((float) headDim);
        this.scratch = new Scratch[pool.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(contextLength, headDim);
        }
        task.caches = new KvCache[maxRows];
        task.positions = new int[maxRows];
        task.viewLength = new int[maxRows];
        task.roundProbabilities = new boolean[maxRows];
        task.keyQuery = new Summation[maxRows];
        task.probValue = new Summation[maxRows];
    }

    /**
     * Attention for {@code tokens} query rows of layer {@code layer}: row {@code t} is at {@code positions[t]} of
     * {@code caches[t]}, which already holds its keys and values up to that position. Reads
     * {@code q[t·heads·headDim ...]}, writes {@code out} in the same layout. With {@code separateSequences} each row
     * is summed as a query of one row (the rows are one token each of different sequences); otherwise the rows
     * are consecutive tokens of one sequence and are summed as one product of {@code tokens} queries, as the
     * peers do.
     */
    void run(int layer, float[] q, int tokens, KvCache[] caches, int[] positions, boolean separateSequences, float[] out) {
        PairTask t = task;
        t.layer = layer;
        t.tokens = tokens;
        t.q = q;
        t.out = out;
        long work = 0;
        for (int r = 0; r < tokens; r++) {
            KvCache cache = caches[r];
            t.caches[r] = cache;
            t.positions[r] = positions[r];
            // one sequence: its rows share the view of the whole batch, whose last row sees the most
            int used = (separateSequences ? positions[r] : positions[tokens - 1]) + 1;
            int queryRows = separateSequences ? 1 : tokens;
            int view = Math.min(cache.contextLength, Math.max(KV_PAD, (used + KV_PAD - 1) / KV_PAD * KV_PAD));
            boolean f16 = cache.isF16();
            t.viewLength[r] = view;
            t.roundProbabilities[r] = numerics.roundsProbabilities(f16, queryRows, view);
            t.keyQuery[r] = numerics.keyQuerySummation(f16, queryRows, headDim);
            t.probValue[r] = numerics.probabilityValueSummation(f16, queryRows, view);
            work = Math.max(work, positions[r] + 1L);
        }
        t.widened = !separateSequences && tokens > 1;
        t.transposed = false;
        if (t.widened) { // one cache, read by every row: widen its rows once
            int used = positions[tokens - 1] + 1;
            if (wideKeys.length < used * kvDim) {
                wideKeys = new float[Math.max(used, Math.min(caches[0].contextLength, 2 * wideKeys.length / kvDim)) * kvDim];
                wideValues = new float[wideKeys.length];
            }
            caches[0].readKeys(layer, used, wideKeys);
            caches[0].readValues(layer, used, wideValues);
            // keys side by side for the vector rows' scores, in their own order or the peer's (a prompt's exact Q·K)
            t.transposed = used >= (t.keyQuery[0].kernelOrder() ? MIN_TRANSPOSED : MIN_TRANSPOSED_PEER);
            if (t.transposed) {
                transposeKeys(used, caches[0].contextLength);
            }
        }
        long workPerPair = 4L * headDim * work;
        int minPairs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, MIN_WORK_PER_THREAD / workPerPair));
        try {
            pool.run(tokens * heads, minPairs, t);
        } finally {
            t.q = null;
            t.out = null;
            Arrays.fill(t.caches, 0, tokens, null);
        }
    }

    /** Copies the first {@code used} positions of {@link #wideKeys} to {@link #keysT}, growing it as needed. */
    private void transposeKeys(int used, int contextLength) {
        int block = rows.keyBlock();
        int blocks = (used + block - 1) / block;
        if (keysT.length < blocks * block * kvDim) {
            keysT = new float[Math.max(blocks, Math.min(2 * keysT.length / (block * kvDim), (contextLength + block - 1) / block))
                    * block * kvDim];
        }
        for (int j = 0; j < used; j++) {
            int to = j / block * block * kvDim + j % block;
            for (int c = 0, from = j * kvDim; c < kvDim; c++) {
                keysT[to + c * block] = wideKeys[from + c];
            }
        }
    }

    private final class PairTask implements RangeTask {
        int layer;
        int tokens;
        float[] q;
        float[] out;
        KvCache[] caches;
        int[] positions;
        int[] viewLength;
        boolean[] roundProbabilities;
        Summation[] keyQuery;
        Summation[] probValue;
        /** Whether {@link #wideKeys} and {@link #wideValues} hold the layer's rows; if not, each row reads its cache. */
        boolean widened;
        /** Whether {@link #keysT} holds the layer's keys too. */
        boolean transposed;

        @Override
        public void run(int worker, int from, int to) {
            for (int i = from; i < to; i++) {
                attend(i % tokens, i / tokens, scratch[worker]); // head-major: a head's keys and values stay in the L2 cache
            }
        }

        private void attend(int t, int h, Scratch s) {
            KvCache cache = caches[t];
            Summation keyQuery = this.keyQuery[t];
            int n = positions[t] + 1;
            int at = (t * heads + h) * headDim;
            int kvFrom = (h / group) * headDim;
            boolean fast = keyQuery.kernelOrder();
            for (int i = 0; i < headDim; i++) {
                s.query[i] = cache.isF16() ? Float.float16ToFloat(Float.floatToFloat16(q[at + i])) : q[at + i];
            }
            float[] p = s.scores;
            float max = Float.NEGATIVE_INFINITY;
            if (fast && transposed) {
                int block = rows.keyBlock();
                max = rows.scoresTransposed(s.query, 0, keysT, kvFrom * block, block * kvDim, n, headDim, scale, p, 0);
                rows.expShifted(p, 0, n, max);
            } else if (fast) { // key by key: all at once when widened (a short prompt), else in blocks read from the cache
                for (int j = 0, count; j < n; j += count) {
                    count = widened ? n : Math.min(BLOCK, n - j);
                    int k = cacheRows(cache, true, j, count, kvFrom, s);
                    max = Math.max(max, rows.scores(s.query, 0, widened ? wideKeys : s.block, k, rowStride(), count, headDim, scale, p, j));
                }
                rows.expShifted(p, 0, n, max); // FAST's expf is the AVX-512 one
            } else if (transposed) { // the peer's order (see run), a vector of keys per lane of its register
                int block = rows.keyBlock();
                max = rows.peerScoresTransposed(keyQuery, s.query, 0, keysT, kvFrom * block, block * kvDim, n, headDim, scale, p, 0);
                exp(p, n, max);
            } else {
                float[] keys = widened ? wideKeys : s.row;
                for (int j = 0; j < n; j++) {
                    int k = cacheRow(cache, true, j, kvFrom, s);
                    p[j] = keyQuery.dot(s.query, 0, keys, k, headDim, s.lanes) * scale;
                    max = Math.max(max, p[j]);
                }
                exp(p, n, max);
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
                if (roundProbabilities[t]) {
                    p[j] = Float.float16ToFloat(Float.floatToFloat16(p[j]));
                }
            }
            weightedValues(cache, probValue[t], viewLength[t], p, n, kvFrom, out, at, s);
        }

        /** {@code p[j] = expf(p[j] − max)} with the peer's expf: the vector rows' when that is AVX-512's, the same floats. */
        private void exp(float[] p, int n, float max) {
            if (simd == GgmlSimd.AVX512) {
                rows.expShifted(p, 0, n, max);
            } else {
                for (int j = 0; j < n; j++) {
                    p[j] = simd.expf(p[j] - max);
                }
            }
        }

        /** {@code out[at + d] = Σ_j p[j]·V[j, kvFrom + d]}, summed per {@code probValue}. */
        private void weightedValues(KvCache cache, Summation probValue, int viewLength, float[] p, int n, int kvFrom, float[] out,
                int at, Scratch s) {
            if (probValue.kernelOrder()) {
                Arrays.fill(out, at, at + headDim, 0f);
                for (int j = 0, count; j < n; j += count) {
                    count = widened ? n : Math.min(BLOCK, n - j);
                    int v = cacheRows(cache, false, j, count, kvFrom, s);
                    rows.addWeighted(p, j, count, widened ? wideValues : s.block, v, rowStride(), out, at, headDim);
                }
                return;
            }
            float[] acc = s.columns;
            boolean tiny = probValue.routine() == Summation.Routine.TINY_BLAS;
            if (tiny && widened) { // a prompt's P·V in tinyBLAS's order, vectorized in the rows
                rows.tinyBlasWeightedSum(probValue.simd(), p, n, wideValues, kvFrom, kvDim, headDim, acc, out, at);
                return;
            }
            float[] values = widened ? wideValues : s.row;
            int lanes = tiny ? simd.lanes() : simd.vecDotStep();
            int whole = tiny ? n : Math.min(n, viewLength - viewLength % simd.vecDotStep());
            Arrays.fill(acc, 0, lanes * headDim, 0f);
            for (int j = 0; j < whole; j++) {
                int v = cacheRow(cache, false, j, kvFrom, s);
                int base = (j % lanes) * headDim;
                float pj = p[j];
                for (int d = 0; d < headDim; d++) {
                    acc[base + d] = Math.fma(pj, values[v + d], acc[base + d]);
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
            for (int j = whole; j < n; j++) {
                int v = cacheRow(cache, false, j, kvFrom, s);
                for (int d = 0; d < headDim; d++) {
                    if (probValue.routine() == Summation.Routine.VEC_DOT_F16) {
                        s.tail[d] += p[j] * values[v + d];
                    } else {
                        s.tail[d] = Math.fma(p[j], values[v + d], (float) s.tail[d]);
                    }
                }
            }
            for (int d = 0; d < headDim; d++) {
                out[at + d] = (float) s.tail[d];
            }
        }

        /**
         * Where key (or value) rows {@code j .. j + count)} from column {@code kvFrom} start, {@link #rowStride} apart:
         * in {@link #wideKeys} ({@link #wideValues}) when {@link #widened}, else read from the cache into {@code s.block}
         * (offset 0; then {@code count ≤} {@link #BLOCK}).
         */
        private int cacheRows(KvCache cache, boolean key, int j, int count, int kvFrom, Scratch s) {
            if (widened) {
                return j * kvDim + kvFrom;
            }
            for (int i = 0; i < count; i++) {
                if (key) {
                    cache.readKey(layer, j + i, kvFrom, s.block, i * headDim, headDim);
                } else {
                    cache.readValue(layer, j + i, kvFrom, s.block, i * headDim, headDim);
                }
            }
            return 0;
        }

        /** The distance between the rows {@link #cacheRows} points at. */
        private int rowStride() {
            return widened ? kvDim : headDim;
        }

        /**
         * Where key (or value) row {@code j} from column {@code kvFrom} starts in the array the caller reads: in
         * {@link #wideKeys} ({@link #wideValues}) when {@link #widened}, else read from the cache into {@code s.row}
         * (offset 0).
         */
        private int cacheRow(KvCache cache, boolean key, int j, int kvFrom, Scratch s) {
            if (widened) {
                return j * kvDim + kvFrom;
            }
            if (key) {
                cache.readKey(layer, j, kvFrom, s.row, 0, headDim);
            } else {
                cache.readValue(layer, j, kvFrom, s.row, 0, headDim);
            }
            return 0;
        }
    }
}
