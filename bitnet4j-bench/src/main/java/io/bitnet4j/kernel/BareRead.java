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
        int pairs = from + (to - from) / 2 * 2;
        for (int v = from; v < pairs; v += 2) {
            a = a.add(LongVector.fromMemorySegment(LONGS, m, v * step, ByteOrder.LITTLE_ENDIAN));
            b = b.add(LongVector.fromMemorySegment(LONGS, m, (v + 1) * step, ByteOrder.LITTLE_ENDIAN));
        }
        if (pairs < to) {
            a = a.add(LongVector.fromMemorySegment(LONGS, m, pairs * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).reduceLanes(VectorOperators.ADD);
    }
}
