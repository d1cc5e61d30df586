package io.bitnet4j.kernel;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multiplies weight matrices by activations on a {@link WorkerPool}, splitting the output rows over the
 * threads. It owns one {@link KernelScratch} per thread and one reusable task, so a multiplication
 * allocates nothing.
 */
public final class MatMul {
    /** Below this many multiply-adds per thread, splitting costs more than it saves. */
    private static final long MIN_WORK_PER_THREAD = 1 << 15;
    /**
     * Weights per piece when a one-token product is cut into more pieces than threads ({@link WorkerPool#runPieces}),
     * so that each piece still streams a long run of weights. In a 2B model's decode step Q, K and V (together)
     * keep one range per thread, gate and up (together) and the down projection get a few pieces, the output head
     * up to {@link #PIECES_PER_THREAD} per thread. A thread held up by the machine's other work then keeps the
     * others waiting for at most one piece.
     */
    private static final long MIN_WEIGHTS_PER_PIECE = 1 << 22;
    private static final int PIECES_PER_THREAD = 8;
    /** Matrices one dispatch may take together (Q, K and V). */
    private static final int MAX_MATRICES = 4;

    private final WorkerPool pool;
    private final KernelScratch[] scratch;

    /**
     * A batch of at most this many tokens is a decode step of several sequences (the server's): its products stream
     * their weights from memory as one token's do, so the read-ahead is tuned on it too.
     */
    static final int MAX_DECODE_BATCH = 16;
    /** One read-ahead tuner per class of matrix (the head's kernel and the ternary kernels want different distances). */
    private final IdentityHashMap<Class<?>, ReadAheadTuner> tuners = new IdentityHashMap<>();
    /** The same for batched decode steps (2 to {@link #MAX_DECODE_BATCH} tokens), timed apart from single tokens. */
    private final IdentityHashMap<Class<?>, ReadAheadTuner> batchTuners = new IdentityHashMap<>();
    private final RowsTask rowsTask = new RowsTask();
    private final WeightMatrix[] one = new WeightMatrix[1];
    private final float[][] oneOut = new float[1][];

    /** For weight rows of up to {@code maxCols} elements. */
    public MatMul(WorkerPool pool, int maxCols) {
        this.pool = pool;
        this.scratch = new KernelScratch[pool.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new KernelScratch(maxCols);
        }
    }

    /** The pool the work runs on. */
    public WorkerPool pool() {
        return pool;
    }

    /** Scratch of worker 0 (the calling thread), for single-threaded row decoding. */
    public KernelScratch callerScratch() {
        return scratch[0];
    }

    /**
     * {@code out[outOffset + t·rows + r] = Σ_c W[r, c] · x[t, c]} for every token row of {@code in},
     * with the activations converted to {@code as} first (which {@code w} must accept) and float products
     * summed in the order {@code sum}.
     */
    public void multiply(WeightMatrix w, Activations in, ActivationType as, Summation sum, float[] out, int outOffset) {
        one[0] = w;
        oneOut[0] = out;
        try {
            multiply(one, in, as, sum, oneOut, outOffset);
        } finally {
            one[0] = null;
            oneOut[0] = null;
        }
    }

    /**
     * {@link #multiply(WeightMatrix, Activations, ActivationType, Summation, float[], int) multiply} for several
     * matrices of the same input ({@code ws[i]} into {@code outs[i]}, each from {@code outOffset}) in one dispatch:
     * the Q, K and V projections, or gate and up. The threads then wake and wait once instead of once per matrix,
     * and their pieces balance over all the matrices' rows. Each row's result is the same as alone.
     */
    public void multiply(WeightMatrix[] ws, Activations in, ActivationType as, Summation sum, float[][] outs, int outOffset) {
        if (ws.length != outs.length || ws.length > MAX_MATRICES) {
            throw new IllegalArgumentException(ws.length + " matrices and " + outs.length + " outputs; at most " + MAX_MATRICES + " together");
        }
        RowsTask task = rowsTask;
        long units = 0;
        long weights = 0;
        long work = 0;
        for (int i = 0; i < ws.length; i++) {
            WeightMatrix w = ws[i];
            if (!w.accepts(as)) {
                throw new IllegalArgumentException("tensor '" + w.name() + "' (" + w.type() + ") cannot multiply " + as + " activations");
            }
            if (w.cols() > scratch[0].maxCols() || w.cols() != ws[0].cols()) {
                throw new IllegalArgumentException("tensor '" + w.name() + "' has rows of " + w.cols() + "; this multiplier takes up to "
                        + scratch[0].maxCols() + ", and matrices multiplied together must share their input's " + ws[0].cols());
            }
            int tile = Math.max(1, w.rowTile());
            int tiles = (w.rows() + tile - 1) / tile; // threads split the rows at whole tiles
            task.tile[i] = tile;
            task.firstUnit[i] = (int) units;
            units += tiles;
            weights += (long) w.rows() * w.cols();
            work += (long) w.cols() * in.rows() * tile * tiles;
        }
        task.firstUnit[ws.length] = (int) units;
        in.prepare(as);
        task.matrices = ws;
        task.in = in;
        task.as = as;
        task.sum = sum;
        task.outs = outs;
        task.outOffset = outOffset;
        int n = (int) units;
        long workPerUnit = Math.max(1L, work / Math.max(1, n));
        int minUnits = (int) Math.min(n, Math.max(1L, MIN_WORK_PER_THREAD / workPerUnit));
        ReadAheadTuner tuner = tuners.computeIfAbsent(ws[0].getClass(), c -> ReadAheadTuner.fromSettings());
        try {
            if (in.rows() > MAX_DECODE_BATCH) {
                // Batches keep one range per thread: a piece of a batch rebuilds the lookup tables of all its tokens
                // (they are kept from one call to the next only for one token), so more pieces would mean more table building.
                // A prompt's products reuse each weight for many tokens: the one-token products' distance will do.
                setReadAhead(tuner.current());
                pool.run(n, Math.max(1, minUnits), task);
            } else {
                // one token, or a decode step of several sequences: the products stream their weights from memory,
                // and these are the calls the read-ahead is tuned on (a batch with tuners of its own)
                ReadAheadTuner timed = in.rows() == 1 ? tuner
                        : batchTuners.computeIfAbsent(ws[0].getClass(), c -> ReadAheadTuner.fromSettings());
                setReadAhead(timed.next(weights));
                long start = System.nanoTime();
                if (in.rows() > 1) { // one range per thread, as for prompts
                    pool.run(n, Math.max(1, minUnits), task);
                } else {
                    int threads = Math.min(pool.threads(), n / Math.max(1, minUnits));
                    long pieces = Math.clamp(weights / MIN_WEIGHTS_PER_PIECE, threads, PIECES_PER_THREAD * pool.threads());
                    pool.runPieces(n, Math.max(1, minUnits), (int) pieces, task);
                }
                timed.took(System.nanoTime() - start, weights);
            }
        } finally {
            task.matrices = null;
            task.in = null;
            task.outs = null;
        }
    }

    /**
     * The read-ahead distance ({@link ReadAhead}) of each class of matrix this multiplier has run one token through,
     * by simple class name (and "NAME (batches)" for decode steps of several sequences): bytes, or -1 while its
     * tuner is still timing the candidates.
     */
    public Map<String, Long> readAheadDistances() {
        Map<String, Long> distances = new TreeMap<>();
        tuners.forEach((c, t) -> distances.put(c.getSimpleName(), t.settled() ? t.current() : -1L));
        batchTuners.forEach((c, t) -> distances.put(c.getSimpleName() + " (batches)", t.settled() ? t.current() : -1L));
        return distances;
    }

    private void setReadAhead(long distance) {
        for (KernelScratch s : scratch) {
            s.readAhead = distance;
        }
    }

    /** {@link #multiply} with the activation form the matrix's reference implementation uses and the default order. */
    public void multiply(WeightMatrix w, Activations in, float[] out, int outOffset) {
        multiply(w, in, w.activationType(), Summation.DEFAULT, out, outOffset);
    }

    /** The units of work ({@code ws}' row tiles, one after another) that a piece covers, matrix by matrix. */
    private final class RowsTask implements RangeTask {
        final int[] tile = new int[MAX_MATRICES];
        final int[] firstUnit = new int[MAX_MATRICES + 1];
        WeightMatrix[] matrices;
        Activations in;
        ActivationType as;
        Summation sum;
        float[][] outs;
        int outOffset;

        @Override
        public void run(int worker, int from, int to) {
            for (int i = 0; i < matrices.length; i++) {
                int a = Math.max(from, firstUnit[i]) - firstUnit[i];
                int b = Math.min(to, firstUnit[i + 1]) - firstUnit[i];
                if (a < b) {
                    WeightMatrix m = matrices[i];
                    int rows = m.rows();
                    m.multiplyRows(in, as, sum, Math.min(rows, a * tile[i]), Math.min(rows, b * tile[i]), outs[i], outOffset, scratch[worker]);
                }
            }
        }
    }
}
