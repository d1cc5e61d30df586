package io.bitnet4j.kernel;

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
     * so that each piece still streams a long run of weights: the decode step's small projections keep one range
     * per thread, the feed-forward matrices get a few pieces, the output head up to {@link #PIECES_PER_THREAD} per
     * thread. A thread held up by the machine's other work then keeps the others waiting for at most one piece.
     */
    private static final long MIN_WEIGHTS_PER_PIECE = 1 << 22;
    private static final int PIECES_PER_THREAD = 8;

    private final WorkerPool pool;
    private final KernelScratch[] scratch;
    private final RowsTask rowsTask = new RowsTask();

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
        if (!w.accepts(as)) {
            throw new IllegalArgumentException("tensor '" + w.name() + "' (" + w.type() + ") cannot multiply " + as + " activations");
        }
        if (w.cols() > scratch[0].maxCols()) {
            throw new IllegalArgumentException("tensor '" + w.name() + "' has rows of " + w.cols() + ", longer than the "
                    + scratch[0].maxCols() + " this multiplier was sized for");
        }
        in.prepare(as);
        RowsTask task = rowsTask;
        task.matrix = w;
        task.in = in;
        task.as = as;
        task.sum = sum;
        task.out = out;
        task.outOffset = outOffset;
        int tile = Math.max(1, w.rowTile());
        task.tile = tile;
        int units = (w.rows() + tile - 1) / tile; // threads split the rows at whole tiles
        long workPerUnit = Math.max(1L, (long) w.cols() * in.rows() * tile);
        int minUnits = (int) Math.min(units, Math.max(1L, MIN_WORK_PER_THREAD / workPerUnit));
        int threads = Math.min(pool.threads(), units / minUnits);
        // Batches keep one range per thread: a piece of a batch rebuilds the lookup tables of all its tokens (they are
        // kept from one call to the next only for one token), so more pieces would mean more table building.
        long pieces = in.rows() > 1 ? threads
                : Math.clamp((long) w.rows() * w.cols() / MIN_WEIGHTS_PER_PIECE, threads, PIECES_PER_THREAD * pool.threads());
        try {
            pool.runPieces(units, minUnits, (int) pieces, task);
        } finally {
            task.matrix = null;
            task.in = null;
            task.out = null;
        }
    }

    /** {@link #multiply} with the activation form the matrix's reference implementation uses and the default order. */
    public void multiply(WeightMatrix w, Activations in, float[] out, int outOffset) {
        multiply(w, in, w.activationType(), Summation.DEFAULT, out, outOffset);
    }

    private final class RowsTask implements RangeTask {
        WeightMatrix matrix;
        Activations in;
        ActivationType as;
        Summation sum;
        float[] out;
        int outOffset;
        int tile;

        @Override
        public void run(int worker, int from, int to) {
            int rows = matrix.rows();
            matrix.multiplyRows(in, as, sum, Math.min(rows, from * tile), Math.min(rows, to * tile), out, outOffset, scratch[worker]);
        }
    }
}
