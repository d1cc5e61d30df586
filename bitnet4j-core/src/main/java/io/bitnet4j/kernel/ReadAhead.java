package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Touches the weight stream a little ahead of the kernel that reads it, the Java stand-in for a prefetch
 * instruction. A streaming kernel spends 20-odd instructions on each 128 bytes it loads, so the CPU's
 * reorder window holds only about 3 KB of future loads; at one thread's memory latency that is too few
 * misses in flight, and an F16 row product read 16–18 GB/s where a bare sum of the same bytes reads 35–39.
 * One byte load per cache line {@link #DISTANCE} bytes ahead (its value folded into a sink so the JIT keeps
 * it) starts each miss early; the kernel's own load then finds the line arriving. Measured on the F16 head
 * (128256 × 2560): 17 → 24 GB/s per CPU second on one thread, 33 → 48 GB/s on two. Touching several
 * interleaved streams this way does not help (it measured slower), so the kernels that use it read one linear
 * stream. The distance is a setting ({@value #PROPERTY}, bytes; 0 turns it off) because the best value
 * depends on the machine's memory latency.
 */
final class ReadAhead {
    /** The system property giving the read-ahead distance in bytes. */
    static final String PROPERTY = "bitnet4j.kernels.readahead";
    /** How far ahead of the kernel's loads a line is touched, in bytes (a multiple of 64). */
    static final long DISTANCE = distance(System.getProperty(PROPERTY, "2048"));

    private ReadAhead() {}

    static long distance(String value) {
        long d;
        try {
            d = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a byte count, not '" + value + "'");
        }
        if (d < 0 || d > (1 << 20)) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be between 0 and 1048576 bytes, not " + d);
        }
        return d & ~63L;
    }

    /**
     * One byte of {@code data} at {@code at + DISTANCE}, or at its last byte if that is past the end (so the
     * touch never leaves the segment); with distance 0 it reads {@code at} itself, which the kernel loads anyway.
     */
    static byte touch(MemorySegment data, long at, long last) {
        return data.get(ValueLayout.JAVA_BYTE, Math.min(at + DISTANCE, last));
    }
}
