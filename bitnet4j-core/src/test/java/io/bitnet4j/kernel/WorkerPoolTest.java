package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerPoolTest {

    @Test
    void everyIndexRunsExactlyOnceInContiguousRanges() {
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
                    int[] workersUsed = new int[threads];
                    pool.run(n, 1, (worker, from, to) -> {
                        assertTrue(from <= to, "range " + from + ".." + to);
                        workersUsed[worker]++;
                        for (int i = from; i < to; i++) {
                            seen.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, seen.get(i), "index " + i + " of " + n + " with " + threads + " threads");
                    }
                    for (int w = 0; w < threads; w++) {
                        assertTrue(workersUsed[w] <= 1, "worker " + w + " ran twice");
                    }
                }
            }
        }
    }

    @Test
    void theWorkersRunAtTheLowestPriority() {
        // so that, where priorities reach the OS, the JIT's compiler threads come first while the kernels compile
        try (WorkerPool pool = new WorkerPool(3)) {
            java.util.Set<Integer> priorities = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Thread caller = Thread.currentThread();
            pool.run(3000, 1, (worker, from, to) -> {
                if (Thread.currentThread() != caller) {
                    priorities.add(Thread.currentThread().getPriority());
                }
            });
            assertEquals(java.util.Set.of(Thread.MIN_PRIORITY), priorities);
        }
    }

    @Test
    void smallLoopsStayOnTheCallingThread() {
        try (WorkerPool pool = new WorkerPool(4)) {
            Thread caller = Thread.currentThread();
            pool.run(10, 100, (worker, from, to) -> {
                assertEquals(0, worker);
                assertEquals(caller, Thread.currentThread());
                assertEquals(0, from);
                assertEquals(10, to);
            });
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyQuickDispatchesNeitherLoseNorRepeatWork() {
        try (WorkerPool pool = new WorkerPool(3)) {
            long[] sum = new long[1];
            AtomicIntegerArray perIndex = new AtomicIntegerArray(9);
            for (int round = 0; round < 5_000; round++) {
                pool.run(9, 1, (worker, from, to) -> {
                    for (int i = from; i < to; i++) {
                        perIndex.incrementAndGet(i);
                    }
                });
            }
            for (int i = 0; i < 9; i++) {
                sum[0] += perIndex.get(i);
                assertEquals(5_000, perIndex.get(i), "index " + i);
            }
            assertEquals(9L * 5_000, sum[0]);
        }
    }

    @Test
    void aFailingPartIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.run(30, 1, (worker, from, to) -> {
                if (from >= 20) {
                    throw new IllegalArgumentException("part starting at " + from);
                }
            }));
            assertEquals("part starting at 20", e.getMessage());
            int[] count = new int[1];
            pool.run(5, 10, (worker, from, to) -> count[0] += to - from);
            assertEquals(5, count[0]);
        }
    }

    @Test
    void piecesCoverEveryIndexOnceInOrderWithinEachPiece() {
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
                    for (int maxPieces : new int[] {1, 3, 8, 64}) {
                        AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
                        AtomicIntegerArray pieces = new AtomicIntegerArray(1);
                        pool.runPieces(n, 2, maxPieces, (worker, from, to) -> {
                            assertTrue(from < to, "empty piece " + from + ".." + to);
                            assertTrue(to - from >= Math.min(2, n), "piece " + from + ".." + to + " below the minimum");
                            pieces.incrementAndGet(0);
                            for (int i = from; i < to; i++) {
                                seen.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < n; i++) {
                            assertEquals(1, seen.get(i), "index " + i + " of " + n + ", " + threads + " threads, " + maxPieces + " pieces");
                        }
                        assertTrue(pieces.get(0) <= Math.max(1, maxPieces), pieces.get(0) + " pieces, at most " + maxPieces + " asked");
                    }
                }
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHeldUpThreadsRemainingPiecesAreTakenByTheOthers() {
        try (WorkerPool pool = new WorkerPool(2)) {
            // The worker's first piece waits until every other piece has run; the caller's first one waits until the
            // worker has started. So the call ends only if the caller takes over the rest of the worker's own run.
            CountDownLatch workerStarted = new CountDownLatch(1);
            CountDownLatch othersDone = new CountDownLatch(7);
            AtomicIntegerArray ranBy = new AtomicIntegerArray(8);
            AtomicIntegerArray piecesOf = new AtomicIntegerArray(2);
            pool.runPieces(8, 1, 8, (worker, from, to) -> {
                ranBy.set(from, worker);
                boolean first = piecesOf.getAndIncrement(worker) == 0;
                if (worker == 1 && first) {
                    workerStarted.countDown();
                    await(othersDone);
                } else {
                    if (worker == 0 && first) {
                        await(workerStarted);
                    }
                    othersDone.countDown();
                }
            });
            assertEquals(1, piecesOf.get(1), "pieces the held-up worker ran");
            assertEquals(7, piecesOf.get(0), "pieces the caller ran");
            int workerPiece = -1;
            for (int i = 0; i < 8; i++) {
                workerPiece = ranBy.get(i) == 1 ? i : workerPiece;
            }
            assertTrue(workerPiece >= 4, "the worker's first piece (" + workerPiece + ") is in its own run, pieces 4-7");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWorkerLateForACallThatIsOverTakesNothingFromTheNext() {
        // Tiny calls, some after a pause long enough for the workers to park: the caller often takes every piece
        // before a worker wakes, so workers arrive at calls that are already over. Each call's task records every
        // piece it runs and is closed when the call returns; a piece run after that, or twice, or never, fails.
        try (WorkerPool pool = new WorkerPool(3)) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(11);
            AtomicIntegerArray late = new AtomicIntegerArray(1);
            for (int call = 0; call < 20_000; call++) {
                int n = 1 + random.nextInt(12);
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                boolean[] closed = new boolean[1];
                RangeTask task = (worker, from, to) -> {
                    synchronized (closed) {
                        if (closed[0]) {
                            late.incrementAndGet(0);
                        }
                    }
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                };
                if (random.nextInt(3) == 0) {
                    pool.runPieces(n, 1, 1 + random.nextInt(8), task);
                } else {
                    pool.run(n, 1 + random.nextInt(3), task);
                }
                synchronized (closed) {
                    closed[0] = true;
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen.get(i), "call " + call + ", index " + i + " of " + n);
                }
                if (call % 2_000 == 0) {
                    LockSupport.parkNanos(3_000_000); // longer than the workers spin: they park
                }
            }
            assertEquals(0, late.get(0), "pieces run after their call returned");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "no other thread took the remaining pieces");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailingPieceIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.runPieces(40, 1, 8, (worker, from, to) -> {
                if (from == 35) {
                    throw new IllegalArgumentException("piece starting at " + from);
                }
            }));
            assertEquals("piece starting at 35", e.getMessage());
            int[] count = new int[1];
            pool.runPieces(5, 10, 8, (worker, from, to) -> count[0] += to - from);
            assertEquals(5, count[0]);
        }
    }

    @Test
    void rejectsBadThreadCountsAndUseAfterClose() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(4, 1, (w, f, t) -> { }));
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void aloneRunsEveryCallOnTheCallingThreadAndThenTheWorkersAgain() {
        try (WorkerPool pool = new WorkerPool(3)) {
            Thread caller = Thread.currentThread();
            java.util.Set<Thread> ran = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicIntegerArray seen = new AtomicIntegerArray(3000);
            pool.alone(() -> {
                pool.run(3000, 1, (worker, from, to) -> {
                    ran.add(Thread.currentThread());
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                pool.runPieces(3000, 10, 64, (worker, from, to) -> {
                    ran.add(Thread.currentThread());
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
            });
            assertEquals(java.util.Set.of(caller), ran, "threads that ran parts while alone");
            for (int i = 0; i < 3000; i++) {
                assertEquals(2, seen.get(i), "index " + i);
            }
            // a part that throws while alone: rethrown, and the pool is back to its threads afterwards
            assertThrows(IllegalStateException.class, () -> pool.alone(() -> pool.run(3000, 1, (worker, from, to) -> {
                throw new IllegalStateException("boom");
            })));
            ran.clear();
            pool.run(3000, 1, (worker, from, to) -> ran.add(Thread.currentThread()));
            assertEquals(3, ran.size(), "threads that ran parts after");
        }
    }

    @Test
    @Timeout(20)
    void aWaitLongerThanTheSpinShortensTheNextSpinAndAShorterWaitRestoresIt() throws InterruptedException {
        // spins long enough (0.3 and 0.1 s) that a slow machine cannot make the quick waits below outlast them
        WorkerPool.SpinThenPark wait = new WorkerPool.SpinThenPark(300_000_000, 100_000_000);
        assertEquals(300_000_000, wait.nextSpinNanos(), "a new waiter spins in full");

        waitParked(wait, 100); // longer than the full spin
        assertEquals(100_000_000, wait.nextSpinNanos(), "after a wait longer than the full spin");

        wait.restart(); // a wait that ends after a few spins, well within even the short spin
        for (int spins = 0; spins < 100; spins++) {
            wait.pause(wait);
        }
        assertEquals(300_000_000, wait.nextSpinNanos(), "after a wait that ended while spinning");

        waitParked(wait, 100);
        assertEquals(100_000_000, wait.nextSpinNanos(), "after a second long wait");
        // parked after the short spin, woken at once: not longer than the full spin, so two threads that keep waking
        // each other late cannot hold each other to the short spin
        waitParked(wait, 0);
        assertEquals(300_000_000, wait.nextSpinNanos(), "after a wait that parked but ended within the full spin");
    }

    /** One wait on another thread that spins, parks, and is woken {@code extraMillis} after it parked. */
    private static void waitParked(WorkerPool.SpinThenPark wait, long extraMillis) throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            wait.restart();
            while (!ready.get()) {
                wait.pause(ready);
            }
        });
        while (LockSupport.getBlocker(waiter) == null) { // parked on `ready`, not still spinning
            Thread.sleep(1);
        }
        Thread.sleep(extraMillis);
        ready.set(true);
        LockSupport.unpark(waiter);
        waiter.join(); // and what the waiter wrote is seen here
    }
}
