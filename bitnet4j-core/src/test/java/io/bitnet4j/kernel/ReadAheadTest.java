package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The read-ahead distance a kernel may use: its vector touches are unchecked, so they must stay inside the segment. */
class ReadAheadTest {
    @Test
    void aTouchAheadNeverLeavesTheSegment() {
        long distance = 2048;
        long size = 3 * distance + 100;
        MemorySegment data = Arena.ofAuto().allocate(size);
        int touchBytes = ReadAhead.TOUCH.vectorByteSize();
        for (long end = 0; end <= size; end++) {
            long ahead = ReadAhead.aheadWithin(data, end, distance);
            // the kernel's last touch starts below the stream's end, at most touchBytes before it
            long lastTouch = Math.max(0, end - touchBytes) + ahead;
            assertTrue(lastTouch + touchBytes <= size, "stream ending at " + end + ": touch at " + lastTouch);
            if (end + distance + touchBytes <= size) {
                assertEquals(distance, ahead, "room to read ahead at stream end " + end);
            } else {
                assertEquals(0, ahead, "no room to read ahead at stream end " + end);
            }
        }
    }
}
