package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The memory bandwidth a kernel is measured against: the same bytes, from the same kind of memory, split over the
 * same threads the same way, only summed as 64-bit integers (a few instructions per cache line, so nothing but
 * the reads limits it). A kernel's GB/s over this one's is its share of the bandwidth the machine gives it.
 */
final class BareRead {
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private final WorkerPool pool;
    private final long[] partial;

    BareRead(WorkerPool pool) {
        this.pool = pool;
        this.partial = new long[pool.threads() * 8]; // one cache line per thread
    }

    /** The sum of {@code m}'s whole vectors of longs, read by every thread of the pool over a contiguous range each. */
    long sum(MemorySegment m) {
        int vectors = (int) (m.byteSize() / LONGS.vectorByteSize());
        pool.run(vectors, 1, (worker, from, to) -> partial[8 * worker] = sum(m, from, to));
        long total = 0;
        for (int w = 0; w < pool.threads(); w++) {
            total += partial[8 * w];
        }
        return total;
    }

    private static long sum(MemorySegment m, int from, int to) {
        LongVector a = LongVector.zero(LONGS), b = a;
        long step = LONGS.vectorByteSize();
        long end = to * step;
        long at = from * step;
        // the loop runs on the byte offset (a long), as the kernels' loops do: over an int vector index multiplied out,
        // the same sum read 15-19 GB/s at one thread, below the F16 kernel's 25 (docs/bench-log.md, session 21)
        for (; at + 2 * step <= end; at += 2 * step) {
            a = a.lanewise(VectorOperators.ADD, LongVector.fromMemorySegment(LONGS, m, at, ByteOrder.LITTLE_ENDIAN));
            b = b.lanewise(VectorOperators.ADD, LongVector.fromMemorySegment(LONGS, m, at + step, ByteOrder.LITTLE_ENDIAN));
        }
        if (at < end) {
            a = a.lanewise(VectorOperators.ADD, LongVector.fromMemorySegment(LONGS, m, at, ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).reduceLanes(VectorOperators.ADD);
    }
}
