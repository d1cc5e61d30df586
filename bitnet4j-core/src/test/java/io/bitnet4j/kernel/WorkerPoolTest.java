package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
    void rejectsBadThreadCountsAndUseAfterClose() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(4, 1, (w, f, t) -> { }));
        assertTrue(e.getMessage().contains("closed"));
    }
}
