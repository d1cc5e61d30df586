package io.bitnet4j.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool of platform threads for splitting one loop over threads, built so that dispatching
 * allocates nothing (the decode loop calls it several times per layer and token).
 *
 * <p>{@link #run} cuts {@code [0, n)} into contiguous ranges, one per thread; the calling thread takes the
 * first range and the workers the others, and the call returns when all are done. {@link #runPieces} cuts it
 * into more, smaller pieces, and a thread that has finished its own takes over the rest of another's, so that
 * a thread slowed down by other work on the machine does not keep the others waiting for its whole range. Each worker is told its
 * job through its own slot (a generation number), which also publishes the task to it; idle workers spin
 * for up to a millisecond (checking the clock every 64 spins), then park. One caller at a time: a pool belongs to one session.
 */
public final class WorkerPool implements AutoCloseable {
    /**
     * How long an idle thread spins before parking. Measured by the clock, not by iterations: a spin-wait hint
     * lasts anywhere from a few to a hundred cycles depending on the CPU, and a thread that parks between the
     * back-to-back products of a decode step costs a wake-up (tens to hundreds of microseconds in a VM) each time.
     */
    private static final long SPIN_NANOS = 1_000_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicIntegerArray assigned;
    private final AtomicInteger pending = new AtomicInteger();
    private final SpinThenPark callerWait = new SpinThenPark(); // run() is called by one thread at a time

    private RangeTask task;
    private int n;
    private int parts;
    /** Pieces of {@link #runPieces} (0 for {@link #run}); thread {@code i} owns the run {@code [firstPieceOf(i), firstPieceOf(i + 1))}. */
    private int pieces;
    /** The next piece of each thread's own run, taken by the owner and, once it is done with its own, by the others. */
    private final AtomicIntegerArray nextPiece;
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;
    private int generation;

    /** A pool of {@code threads} threads in all, the caller included ({@code threads - 1} are started). */
    public WorkerPool(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("thread count " + threads + " must be between 1 and 1024");
        }
        this.threads = threads;
        this.assigned = new AtomicIntegerArray(Math.max(threads - 1, 1));
        this.nextPiece = new AtomicIntegerArray(threads);
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().daemon().name("bitnet4j-worker-" + (i + 1)).unstarted(() -> work(index));
            workers[i].start();
        }
    }

    /** Threads in all, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} split into at most {@link #threads()} contiguous ranges, at least
     * {@code minPerPart} indices each (so small loops stay on the calling thread). Rethrows the first
     * exception a part threw.
     */
    public void run(int n, int minPerPart, RangeTask task) {
        int p = Math.min(threads, n / Math.max(1, minPerPart));
        dispatch(n, p, 0, task);
    }

    /**
     * Runs {@code task} over {@code [0, n)} cut into at most {@code maxPieces} contiguous pieces of at least
     * {@code minPerPiece} indices. Each thread owns a run of consecutive pieces and takes them in order, one at a
     * time; when its run is done it takes what is left of the others'. A worker may run several pieces, so
     * {@code task} must not assume one range per worker. With a fixed range
     * per thread, as {@link #run} gives, a thread held up (on a shared machine, by the scheduler) keeps the
     * others waiting for its whole range; here they take over its remaining pieces. Rethrows the first
     * exception a piece threw (the thread that threw takes no further pieces).
     */
    public void runPieces(int n, int minPerPiece, int maxPieces, RangeTask task) {
        int pieces = Math.max(1, Math.min(maxPieces, n / Math.max(1, minPerPiece)));
        if (threads == 1 || pieces <= 1) {
            run(n, Math.max(1, n), task); // one piece: on the calling thread
            return;
        }
        dispatch(n, Math.min(threads, pieces), pieces, task);
    }

    /** Runs {@code task} on {@code p} threads: fixed ranges if {@code pieces} is 0, else pieces taken in turn. */
    private void dispatch(int n, int p, int pieces, RangeTask task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (p <= 1) {
            if (n > 0) {
                task.run(0, 0, n);
            }
            return;
        }
        this.task = task;
        this.n = n;
        this.parts = p;
        this.pieces = pieces;
        for (int i = 0; i < p; i++) {
            nextPiece.set(i, firstPieceOf(i)); // before the volatile writes below publish it
        }
        this.failure = null;
        this.caller = Thread.currentThread();
        pending.set(p - 1);
        generation++;
        for (int w = 0; w < p - 1; w++) {
            assigned.set(w, generation); // volatile write: publishes task, n, parts and pieces to worker w
            LockSupport.unpark(workers[w]);
        }
        try {
            runPart(0);
        } finally {
            awaitWorkers();
            this.task = null;
        }
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable t -> throw new IllegalStateException("a worker failed", t);
        }
    }

    /**
     * Thread {@code part}'s share: its fixed range, or the pieces of its own run in order (one linear stream of
     * weights, as with a fixed range) and then whatever is left of the other threads' runs.
     */
    private void runPart(int part) {
        if (pieces == 0) {
            task.run(part, rangeStart(part), rangeStart(part + 1));
            return;
        }
        for (int k = 0; k < parts; k++) {
            int owner = (part + k) % parts;
            int end = firstPieceOf(owner + 1);
            for (int i = nextPiece.getAndIncrement(owner); i < end; i = nextPiece.getAndIncrement(owner)) {
                task.run(part, pieceStart(i), pieceStart(i + 1));
            }
        }
    }

    /** The first piece of thread {@code part}'s own run. */
    private int firstPieceOf(int part) {
        return (int) ((long) pieces * part / parts);
    }

    private int pieceStart(int piece) {
        return (int) ((long) n * piece / pieces);
    }

    private int rangeStart(int part) {
        return (int) ((long) n * part / parts);
    }

    private void awaitWorkers() {
        callerWait.restart();
        while (pending.get() != 0) {
            callerWait.pause(this);
        }
    }

    /**
     * How a thread waits for work or for results: spin for {@link #SPIN_NANOS} by the clock (the next
     * product of a decode step usually comes within microseconds, and a park/unpark round trip costs
     * more than that), then park. The clock is read only every 64th spin. One instance per waiting
     * thread, reused, so waiting never allocates.
     */
    private static final class SpinThenPark {
        private long parkAt;
        private int spins;

        /** Starts a new wait: the next {@link #pause} begins the spinning period. */
        void restart() {
            parkAt = 0;
        }

        void pause(Object blocker) {
            if (parkAt == 0) {
                parkAt = System.nanoTime() + SPIN_NANOS;
                Thread.onSpinWait();
            } else if ((++spins & 63) != 0 || System.nanoTime() < parkAt) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(blocker);
            }
        }
    }

    private void work(int index) {
        int done = 0;
        SpinThenPark wait = new SpinThenPark();
        while (!closed) {
            int g = assigned.get(index);
            if (g == done) {
                wait.pause(this);
                continue;
            }
            done = g;
            wait.restart();
            try {
                runPart(index + 1);
            } catch (Throwable t) {
                failure = t;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
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
