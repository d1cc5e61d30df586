package io.bitnet4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH auxiliary counter: a benchmark adds the bytes it processed per operation to {@link #bytes},
 * and JMH reports the counter as a rate, so the "bytes" row of a throughput run reads directly in
 * bytes per second (divide by 1e9 for GB/s). Which bytes count is said by each benchmark.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounter {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
        bytes = 0;
    }
}
