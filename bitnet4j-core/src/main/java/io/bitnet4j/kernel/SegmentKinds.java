package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;

/**
 * Keeps the vector kernels' loads to one kind of {@link MemorySegment}, which they need to run at full speed.
 *
 * <p>A Vector API load from a segment is compiled from JDK methods shared by every caller, and the JIT
 * specializes them for the segment classes their profile has seen. Once a second class flows through them, every
 * kernel that inlines them is compiled for both, and the loads are then far slower: the TQ2_0 prompt kernel on a
 * 6912 × 2560 matrix with 512 tokens ran at about 290 GMAC/s, and at about 65 after the F16 embedding rows (a
 * memory-mapped segment, a class of its own) had gone through the same load method; the JDK's first heap segment
 * (its own interpreted Vector API fallback makes one) deoptimizes them all the same way. So:
 * <ul>
 *   <li>{@link #plain} gives the kernels a mapped file's bytes as an ordinary native segment (same memory and
 *       lifetime), so that they see native segments only ({@link VectorKernels#bind} applies it to every tensor
 *       it binds);</li>
 *   <li>{@link #preload} loads the heap segment classes before any kernel is compiled, so that loading them later
 *       cannot deoptimize the kernels;</li>
 *   <li>a kernel whose segments are native by construction (the lookup-table kernels' layouts and tables) says so
 *       with {@link #NATIVE} ({@code tables = NATIVE.cast(tables)}). A load or store goes through a JDK method that
 *       asks the segment for its base and offset, a virtual call: C2 inlines it from that method's type profile, and
 *       when the kernel is compiled before that profile exists (or after other classes have made it useless), it
 *       stays a call for good. The cast gives C2 the class itself, so no profile is needed: the lookup-table kernels'
 *       table stores had stayed calls in about one two-thread run of ten, whose prompts then ran 20 % slower
 *       (docs/bench-log.md, "Session 25").</li>
 * </ul>
 */
final class SegmentKinds {
    private static final Object[] HEAP_KINDS = {
        MemorySegment.ofArray(new byte[1]), MemorySegment.ofArray(new short[1]), MemorySegment.ofArray(new char[1]),
        MemorySegment.ofArray(new int[1]), MemorySegment.ofArray(new float[1]), MemorySegment.ofArray(new long[1]),
        MemorySegment.ofArray(new double[1]),
    };

    /** The class of native segments: what an arena, {@link OffHeap} and {@link #plain} give. */
    static final Class<? extends MemorySegment> NATIVE = MemorySegment.NULL.getClass();

    private SegmentKinds() {}

    /** Makes sure the heap segment classes are loaded (the class initializer does it, once). */
    static int preload() {
        return HEAP_KINDS.length;
    }

    /**
     * {@code data} itself, or for a memory-mapped segment the same bytes as a plain native segment (same address,
     * size, scope and read-only state; only its class differs).
     */
    static MemorySegment plain(MemorySegment data) {
        return data.isNative() && data.isMapped() ? data.reinterpret(data.byteSize()) : data;
    }
}
