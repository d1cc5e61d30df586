package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup-table kernels cast their words, scales and tables to {@link SegmentKinds#NATIVE}: every way the engine
 * makes such memory must give that class, or the cast would throw.
 */
class SegmentKindsTest {
    @Test
    void theEnginesOffHeapMemoryIsOfTheNativeClass() {
        assertEquals(SegmentKinds.NATIVE, OffHeap.allocate(100).getClass(), "OffHeap.allocate (layouts)");
        assertEquals(SegmentKinds.NATIVE, OffHeap.allocateZeroed(100).getClass(), "OffHeap.allocateZeroed");
        assertEquals(SegmentKinds.NATIVE, Arena.ofAuto().allocate(100, 64).getClass(), "an arena (KernelScratch's tables)");
        assertEquals(SegmentKinds.NATIVE, LutKernel.UNIT_SCALES.getClass(), "the unit scales");
    }

    @Test
    void aMappedFileBecomesNativeThroughPlain(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bytes");
        Files.write(f, new byte[4096]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, 4096, arena);
            assertNotEquals(SegmentKinds.NATIVE, mapped.getClass(), "a mapped segment has a class of its own");
            assertEquals(SegmentKinds.NATIVE, SegmentKinds.plain(mapped).getClass(), "plain (the layout cache's words)");
        }
    }
}
