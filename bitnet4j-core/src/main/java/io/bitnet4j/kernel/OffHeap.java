package io.bitnet4j.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Off-heap memory for runtime weight layouts, from the C library's {@code aligned_alloc} and freed when the
 * segment becomes unreachable. {@link Arena#allocate} would count the bytes against the JVM's direct-memory
 * limit (by default the maximum heap size), so a model repacked at load could fail with
 * {@link OutOfMemoryError} under a small {@code -Xmx} although the machine has the memory. The contents are
 * not zeroed: callers write every byte. Without native access (or a C library) it falls back to an arena.
 */
public final class OffHeap {
    private static final long ALIGN = 64;
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;

    static {
        MethodHandle alloc = null;
        MethodHandle zeroed = null;
        MethodHandle free = null;
        try {
            Linker linker = Linker.nativeLinker();
            var lookup = linker.defaultLookup();
            alloc = lookup.find("aligned_alloc").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG))).orElse(null);
            zeroed = lookup.find("calloc").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG))).orElse(null);
            free = lookup.find("free").map(f -> linker.downcallHandle(f, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            alloc = null; // no native access: arenas it is
            zeroed = null;
        }
        ALIGNED_ALLOC = free == null ? null : alloc;
        CALLOC = free == null ? null : zeroed;
        FREE = free;
    }

    private OffHeap() {}

    /** {@code bytes} (positive) of 64-byte-aligned memory, uninitialized, freed once unreachable. */
    public static MemorySegment allocate(long bytes) {
        // size: a multiple of the alignment, as aligned_alloc requires
        return allocate(ALIGNED_ALLOC, "aligned_alloc", ALIGN, (bytes + ALIGN - 1) / ALIGN * ALIGN, bytes);
    }

    /**
     * {@code bytes} (positive) of zeroed off-heap memory (16-byte aligned at least), freed once unreachable. Large
     * blocks come from the C library's {@code calloc}, which maps fresh zero pages: they take physical memory only
     * once written, so a KV cache sized for a long context costs what the positions actually used cost (a Java array
     * is zeroed, so touched, in full when it is allocated).
     */
    public static MemorySegment allocateZeroed(long bytes) {
        return allocate(CALLOC, "calloc", 1L, bytes, bytes);
    }

    /**
     * {@code bytes} from the C allocator {@code function}, called with {@code (first, second)}, as a segment that
     * frees itself once unreachable; from an (aligned, zeroed) arena when there is no such function.
     */
    private static MemorySegment allocate(MethodHandle function, String name, long first, long second, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        if (function == null) {
            return Arena.ofAuto().allocate(bytes, ALIGN);
        }
        MemorySegment raw;
        try {
            raw = (MemorySegment) function.invokeExact(first, second);
        } catch (Throwable e) {
            throw new IllegalStateException(name + " failed", e);
        }
        if (raw.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes off the heap");
        }
        return raw.reinterpret(bytes, Arena.ofAuto(), OffHeap::free);
    }

    private static void free(MemorySegment m) {
        try {
            FREE.invokeExact(m);
        } catch (Throwable e) {
            throw new IllegalStateException("free failed", e);
        }
    }
}
