package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The repack into the lookup-table layout: what it promises beyond the trits themselves (LutKernelTest has those). */
class LutLayoutTest {
    @Test
    void paddingRowsOfAPartialTileHaveZeroScales() {
        int rows = 70; // a partial last tile at 16 and at 32 lanes
        int cols = 512;
        float[] scales = SeededArrays.uniform(3, rows * cols / 256, 2); // a scale per block: the layout keeps them
        byte[] bytes = TQ2_0.FORMAT.pack(LutKernelTest.randomTrits(rows * cols, 3), scales);
        LutLayout l = TernaryLutMatrix.repack("w", GgmlType.TQ2_0, rows, cols, MemorySegment.ofArray(bytes), TQ2_0.FORMAT, 2, null).layout;
        for (int row = 0; row < l.tiles() * l.tileRows(); row++) {
            for (int b = 0; b < cols / 256; b++) {
                float expected = row < rows ? Float.float16ToFloat(TQ2_0.FORMAT.scaleBits(MemorySegment.ofArray(bytes), (long) row * 2 + b)) : 0f;
                assertEquals(expected, l.scale(row, b), "row " + row + ", block " + b);
            }
        }
    }

    @Test
    void badCodesFoundOnAnotherThreadAreReportedWithTheDecodersOwnMessage() {
        int rows = 512; // many tiles, so that the bad one is packed on a worker thread as often as on the caller's
        int cols = 256;
        byte[] bytes = TQ2_0.FORMAT.pack(LutKernelTest.randomTrits(rows * cols, 4), new float[rows]);
        for (int bad : new int[] {3, rows - 1}) {
            byte[] b = bytes.clone();
            b[bad * 66 + 40] |= 0x0C; // row bad, byte 40: a field holding code 3
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TernaryLutMatrix.repack("w",
                    GgmlType.TQ2_0, rows, cols, MemorySegment.ofArray(b), TQ2_0.FORMAT, 2, null));
            assertEquals("TQ2_0 block " + bad + ", byte 40 holds code 3 for element 168; only 0, 1, 2 encode trits", e.getMessage());
        }
    }
}
