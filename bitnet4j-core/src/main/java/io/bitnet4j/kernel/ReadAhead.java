package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Touches the weight stream a little ahead of the kernel that reads it, the Java stand-in for a prefetch
 * instruction. Without it our streaming kernels read their weights from memory far slower than a bare sum of
 * the same bytes (an F16 row product 16–18 GB/s on one thread where the sum reads 35–39), although a C loop doing
 * the same arithmetic without any prefetch reads 26–32: the hardware prefetchers serve C's loop better than the
 * JIT's (one cause we found: C2 may order a step's two loads downwards, and a C loop whose loads go downwards
 * within each step lost 15–30 %). One load per step a distance ahead (its value folded into a sink so
 * the JIT keeps it) starts each miss early; the kernel's own load then finds the line arriving. Measured on the F16
 * head (128256 × 2560): 17 → 24 GB/s per CPU second on one thread, 33 → 48 GB/s on two. Touching several
 * interleaved streams this way does not help (it measured slower), so the kernels that use it read one linear
 * stream. How far ahead is best depends on the machine (see {@link ReadAheadTuner}, which chooses it per kind of
 * kernel unless {@value ReadAheadTuner#PROPERTY} sets it), so the kernels take the distance from their {@link KernelScratch}.
 */
final class ReadAhead {
    private ReadAhead() {}

    /**
     * The species of a vector touch: eight bytes. A kernel loop touches with
     * {@code sink = sink.lanewise(ADD, IntVector.fromMemorySegment(TOUCH, data, at + ahead, LE))}, one instruction with its
     * load folded in, where {@link #touch} costs a clamp, a bounds check and an add (about eight instructions,
     * which in the F16 loop were a fifth of its work). It is unchecked (with the launcher's
     * {@code VECTOR_ACCESS_OOB_CHECK=0}), so the kernel takes its distance from {@link #aheadWithin}, which keeps
     * every touch inside the segment. The sink's lanes are summed into {@link KernelScratch#sink} once per call.
     */
    static final VectorSpecies<Integer> TOUCH = IntVector.SPECIES_64;

    /**
     * How far ahead a kernel may touch while reading {@code data} up to byte {@code streamEnd} (exclusive):
     * {@code distance}, or 0 (each touch then loads bytes the kernel reads anyway) when a touch that far past
     * the stream's end would leave the segment.
     */
    static long aheadWithin(MemorySegment data, long streamEnd, long distance) {
        return streamEnd + distance + TOUCH.vectorByteSize() <= data.byteSize() ? distance : 0;
    }

    /** The lanes of a vector touch sink, summed (once per kernel call, for {@link KernelScratch#sink}). */
    static int sum(IntVector sink) {
        return sink.lane(0) + sink.lane(1);
    }

    /**
     * One byte of {@code data} at {@code at + distance}, or at its last byte if that is past the end (so the
     * touch never leaves the segment); with distance 0 it reads {@code at} itself, which the kernel loads anyway.
     * The one-token lookup kernel keeps this form: there the vector touch, and this one without its clamp, measured
     * slower (docs/bench-log.md).
     */
    static byte touch(MemorySegment data, long at, long distance, long last) {
        return data.get(ValueLayout.JAVA_BYTE, Math.min(at + distance, last));
    }
}
