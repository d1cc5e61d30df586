package io.bitnet4j.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool of platform threads for splitting one loop over threads, built so that dispatching
 * allocates nothing (the decode loop calls it several times per layer and token).
 *
 * <p>{@link #run} cuts {@code [0, n)} into contiguous ranges, one per thread; the calling thread takes the
 * first range and the workers the others, and the call returns when all are done. {@link #runPieces} cuts it
 * into more, smaller pieces, and a thread that has finished its own takes over the rest of another's, so that
 * a thread slowed down by other work on the machine does not keep the others waiting for its whole range.
 *
 * <p>A call is over when all its pieces are done, not when every worker has turned up: a worker whose CPU the
 * machine has lent to something else (measured on a 2-core VM: about 480 of 38,000 two-thread calls in a decode
 * run found the worker 1.26 ms late on average) may find the pieces of a {@link #runPieces} call all taken by the
 * caller, and the caller does not wait for it. So each piece is claimed with the number of the call it belongs to ({@link #claims}), and a worker that
 * comes late to a call that is over claims nothing. Idle workers spin for up to a millisecond (checking the clock
 * every 64 spins; 50 µs after a wait longer than that, {@link SpinThenPark}), then park. One caller at a time: a pool
 * belongs to one session.
 */
public final class WorkerPool implements AutoCloseable {
    /**
     * How long an idle thread spins before parking. Measured by the clock, not by iterations: a spin-wait hint
     * lasts anywhere from a few to a hundred cycles depending on the CPU, and a thread that parks between the
     * back-to-back products of a decode step costs a wake-up (tens to hundreds of microseconds in a VM) each time.
     */
    private static final long SPIN_NANOS = 1_000_000;
    /**
     * How long a thread spins when its last wait outlasted the full spin ({@link SpinThenPark}): long waits come in runs (the
     * first prompt of a cold JVM, while the kernels are still interpreted or C1 code and the JIT's threads want the
     * cores), and each of them spun for {@link #SPIN_NANOS} in full before. Measured on the 2B file with LLaMA 3's
     * vocabulary at two threads, whole runs alternating with the full spin every time: the first token of {@code -p hi}
     * 0.953 against 1.010 s, of a 31-token prompt 1.151 against 1.232, decode and prompt speeds level (docs/bench-log.md,
     * session 27). 50 µs: 10 and 200 were both a little later.
     */
    private static final long SHORT_SPIN_NANOS = 50_000;
    /** Pieces per call at most: a claim keeps a piece index and its run's end in 16 bits each. */
    private static final int MAX_PIECES = 0xFFFF;

    private final int threads;
    private final Thread[] workers;
    private final SpinThenPark callerWait = new SpinThenPark(SPIN_NANOS, SHORT_SPIN_NANOS); // run() is called by one thread at a time

    // The current call, published to the workers by the volatile write of generation.
    private RangeTask task;
    private int n;
    private int parts;
    private int pieces;
    /** Whether a thread that has finished its own run takes what is left of the others' ({@link #runPieces}). */
    private boolean share;
    /**
     * Per thread, the claim word of its run of pieces: the call's generation (high 32 bits), the next piece (16 bits)
     * and the end of the run (16 bits). A piece is taken by a compare-and-set on the whole word, so a thread still
     * working from an earlier call's generation can never take a piece of the current one.
     */
    private final AtomicLongArray claims;
    private final AtomicInteger piecesDone = new AtomicInteger();
    private volatile int generation;
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;
    /** Whether calls run on the calling thread alone ({@link #alone}); set and read by the calling thread only. */
    private boolean alone;

    /** A pool of {@code threads} threads in all, the caller included ({@code threads - 1} are started). */
    public WorkerPool(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("thread count " + threads + " must be between 1 and 1024");
        }
        this.threads = threads;
        this.claims = new AtomicLongArray(threads);
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            // the lowest priority: where the JVM maps priorities to the OS's (-XX:ThreadPriorityPolicy=1, as the
            // launcher runs it; a no-op on Linux otherwise), the JIT's compiler threads then get more of the cores
            // while the kernels are still being compiled, and nothing changes once they are (docs/bench-log.md, session 12)
            workers[i] = Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("bitnet4j-worker-" + (i + 1))
                    .unstarted(() -> work(index));
            workers[i].start();
        }
    }

    /** Threads in all, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} split into at most {@link #threads()} contiguous ranges, at least
     * {@code minPerPart} indices each (so small loops stay on the calling thread), one per thread. Rethrows the
     * first exception a part threw.
     */
    public void run(int n, int minPerPart, RangeTask task) {
        int p = Math.min(threads, n / Math.max(1, minPerPart));
        dispatch(n, p, p, false, task);
    }

    /**
     * Runs {@code task} over {@code [0, n)} cut into at most {@code maxPieces} contiguous pieces of at least
     * {@code minPerPiece} indices. Each thread owns a run of consecutive pieces and takes them in order, one at a
     * time; when its run is done it takes what is left of the others'. A worker may run several pieces, so
     * {@code task} must not assume one range per worker. With a fixed range
     * per thread, as {@link #run} gives, a thread held up (on a shared machine, by the scheduler) keeps the
     * others waiting for its whole range; here they take over its remaining pieces. Rethrows the first
     * exception a piece threw (the pieces not yet started when it threw are skipped).
     */
    public void runPieces(int n, int minPerPiece, int maxPieces, RangeTask task) {
        int pieces = Math.max(1, Math.min(Math.min(maxPieces, MAX_PIECES), n / Math.max(1, minPerPiece)));
        if (threads == 1 || pieces <= 1) {
            run(n, Math.max(1, n), task); // one piece: on the calling thread
            return;
        }
        dispatch(n, Math.min(threads, pieces), pieces, true, task);
    }

    /**
     * Runs {@code work} with every call it makes to this pool ({@link #run}, {@link #runPieces}) done by the calling
     * thread alone, as a one-thread pool would do it (the same results: no kernel's arithmetic depends on the split),
     * the workers left idle. For the first prompt of a JVM whose kernels are still being compiled: a second computing
     * thread then mostly takes a core from the JIT's threads (docs/bench-log.md, session 27).
     */
    public void alone(Runnable work) {
        boolean was = alone;
        alone = true;
        try {
            work.run();
        } finally {
            alone = was;
        }
    }

    /** Runs {@code task} on {@code p} threads, {@code pieces} pieces in all, shared out or not. */
    private void dispatch(int n, int p, int pieces, boolean share, RangeTask task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (p <= 1 || alone) {
            if (n > 0) {
                task.run(0, 0, n);
            }
            return;
        }
        int g = generation == -1 ? 1 : generation + 1; // never 0, what a new worker has seen
        // Every claim word gets the new generation first, so that a late worker's claim on the last call fails from here on.
        for (int i = 0; i < threads; i++) {
            claims.set(i, i < p ? claim(g, firstPieceOf(i, p, pieces), firstPieceOf(i + 1, p, pieces)) : claim(g, 0, 0));
        }
        this.task = task;
        this.n = n;
        this.parts = p;
        this.pieces = pieces;
        this.share = share;
        this.failure = null;
        this.caller = Thread.currentThread();
        piecesDone.set(0);
        generation = g; // volatile write: publishes the call to the workers
        for (int w = 0; w < p - 1; w++) {
            LockSupport.unpark(workers[w]);
        }
        runPart(0, g);
        callerWait.restart();
        while (piecesDone.get() < pieces) {
            callerWait.pause(this);
        }
        this.task = null;
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable t -> throw new IllegalStateException("a worker failed", t);
        }
    }

    private static long claim(int generation, int next, int end) {
        return (long) generation << 32 | (long) next << 16 | end;
    }

    /**
     * Thread {@code part}'s share of call {@code g}: the pieces of its own run in order (one linear stream of weights,
     * as with a fixed range) and then, if the call shares, whatever is left of the other threads' runs. Returns as
     * soon as it finds the call over. The call's fields are read only after a piece is claimed: until that piece is
     * done the caller cannot start another call.
     */
    private void runPart(int part, int g) {
        int owners = parts; // may already be a later call's: then the claims below fail
        if (part >= owners) {
            return; // a thread this call does not use
        }
        for (int k = 0; k < owners; k++) {
            int owner = (part + k) % owners;
            while (true) {
                long c = claims.get(owner);
                if ((int) (c >>> 32) != g) {
                    return; // the call is over
                }
                int next = (int) (c >>> 16) & 0xFFFF;
                if (next >= (int) (c & 0xFFFF)) {
                    break; // this run is all taken
                }
                if (claims.compareAndSet(owner, c, c + (1L << 16))) {
                    runPiece(part, next);
                }
            }
            if (!share) {
                return;
            }
        }
    }

    /**
     * Runs piece {@code i} of the current call as thread {@code part} and counts it done. Once a piece has thrown,
     * the pieces claimed after it are only counted: the call will throw anyway, and it must not wait on work that
     * no thread is going to do.
     */
    private void runPiece(int part, int i) {
        int total = pieces; // read before the piece is counted: after that the caller may start the next call
        Thread c = caller;
        if (failure == null) {
            try {
                task.run(part, pieceStart(i), pieceStart(i + 1));
            } catch (Throwable t) {
                failure = t;
            }
        }
        if (piecesDone.incrementAndGet() == total && c != Thread.currentThread()) {
            LockSupport.unpark(c);
        }
    }

    /** The first piece of thread {@code part}'s own run, of {@code pieces} pieces over {@code parts} threads. */
    private static int firstPieceOf(int part, int parts, int pieces) {
        return (int) ((long) pieces * part / parts);
    }

    private int pieceStart(int piece) {
        return (int) ((long) n * piece / pieces);
    }

    /**
     * How a thread waits for work or for results: spin by the clock (the next product of a decode step usually
     * comes within microseconds, and a park/unpark round trip costs more than that), then park. The spin lasts
     * {@link #SPIN_NANOS}, or only {@link #SHORT_SPIN_NANOS} when the thread's previous wait lasted longer than
     * that full spin: then waits are long for now, and spinning through each of them in full only takes a core from
     * threads with work to do. A wait that parks only after the short spin but ends within the full one restores the
     * full spin: else two threads could keep each other parking, each one's wait lengthened by the other's wake-up
     * (a tiny model's decode, a few microseconds a product, fell from about 10,000 to 2,000 tokens a second when a
     * park alone shortened the next spin). The clock is read only every 64th spin. One instance per waiting thread,
     * reused, so waiting never allocates.
     */
    static final class SpinThenPark {
        private final long spinNanos;
        private final long shortSpinNanos;
        private long started;
        private long parkAt;
        private int spins;
        /** Whether the last wait (or this one, so far) has lasted longer than the full spin. */
        private boolean longWait;

        SpinThenPark(long spinNanos, long shortSpinNanos) {
            this.spinNanos = spinNanos;
            this.shortSpinNanos = shortSpinNanos;
        }

        /** How long the next wait spins before it parks (tests). */
        long nextSpinNanos() {
            return longWait ? shortSpinNanos : spinNanos;
        }

        /** Starts a new wait: the next {@link #pause} begins the spinning period. */
        void restart() {
            parkAt = 0;
        }

        void pause(Object blocker) {
            if (parkAt == 0) {
                started = System.nanoTime();
                parkAt = started + nextSpinNanos();
                longWait = false;
                Thread.onSpinWait();
            } else if ((++spins & 63) != 0 || System.nanoTime() < parkAt) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(blocker);
                longWait = System.nanoTime() - started > spinNanos; // woken: how long the wait has lasted so far
            }
        }
    }

    private void work(int index) {
        int seen = 0;
        SpinThenPark wait = new SpinThenPark(SPIN_NANOS, SHORT_SPIN_NANOS);
        while (!closed) {
            int g = generation;
            if (g == seen) {
                wait.pause(this);
                continue;
            }
            seen = g;
            wait.restart();
            runPart(index + 1, g);
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
