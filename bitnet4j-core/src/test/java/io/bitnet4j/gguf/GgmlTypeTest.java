package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The type table against ggml.h / ggml-common.h block structs, derived by hand from the struct fields. */
class GgmlTypeTest {

    @Test
    void idsAndBlockGeometryFollowGgml() {
        // {id, block size, bytes per block}: bytes summed from each block struct's fields (QK_K = 256)
        Object[][] table = {
            {GgmlType.F32, 0, 1, 4}, {GgmlType.F16, 1, 1, 2},
            {GgmlType.Q4_0, 2, 32, 2 + 16}, {GgmlType.Q4_1, 3, 32, 2 + 2 + 16},
            {GgmlType.Q5_0, 6, 32, 2 + 4 + 16}, {GgmlType.Q5_1, 7, 32, 2 + 2 + 4 + 16},
            {GgmlType.Q8_0, 8, 32, 2 + 32}, {GgmlType.Q8_1, 9, 32, 4 + 32},
            {GgmlType.Q2_K, 10, 256, 16 + 64 + 2 + 2}, {GgmlType.Q3_K, 11, 256, 32 + 64 + 12 + 2},
            {GgmlType.Q4_K, 12, 256, 2 + 2 + 12 + 128}, {GgmlType.Q5_K, 13, 256, 2 + 2 + 12 + 32 + 128},
            {GgmlType.Q6_K, 14, 256, 128 + 64 + 16 + 2}, {GgmlType.Q8_K, 15, 256, 4 + 256 + 32},
            {GgmlType.IQ2_XXS, 16, 256, 2 + 64}, {GgmlType.IQ2_XS, 17, 256, 2 + 64 + 8},
            {GgmlType.IQ3_XXS, 18, 256, 2 + 96}, {GgmlType.IQ1_S, 19, 256, 2 + 32 + 16},
            {GgmlType.IQ4_NL, 20, 32, 2 + 16}, {GgmlType.IQ3_S, 21, 256, 2 + 64 + 8 + 32 + 4},
            {GgmlType.IQ2_S, 22, 256, 2 + 64 + 16}, {GgmlType.IQ4_XS, 23, 256, 2 + 2 + 4 + 128},
            {GgmlType.I8, 24, 1, 1}, {GgmlType.I16, 25, 1, 2}, {GgmlType.I32, 26, 1, 4}, {GgmlType.I64, 27, 1, 8},
            {GgmlType.F64, 28, 1, 8}, {GgmlType.IQ1_M, 29, 256, 32 + 16 + 8}, {GgmlType.BF16, 30, 1, 2},
            {GgmlType.TQ1_0, 34, 256, 48 + 4 + 2}, {GgmlType.TQ2_0, 35, 256, 64 + 2}, {GgmlType.I2_S, 36, 4, 1},
        };
        assertEquals(GgmlType.values().length, table.length);
        for (Object[] row : table) {
            GgmlType t = (GgmlType) row[0];
            assertEquals(row[1], t.id(), t + " id");
            assertEquals(row[2], t.blockSize(), t + " block size");
            assertEquals(row[3], t.blockBytes(), t + " block bytes");
            assertEquals(t, GgmlType.fromId(t.id()));
            assertEquals(t == GgmlType.I2_S ? 32 : 0, t.trailerBytes(), t + " trailer");
        }
    }

    @Test
    void i2sIsAQuarterBytePerElementPlusA32ByteTrailer() {
        // bitnet.cpp's ggml_nbytes: n/4 + 32; the fixture's 256x256 attn_q is 16416 bytes
        assertEquals(256 * 256 / 4 + 32, GgmlType.I2_S.byteSize(256L * 256));
        assertEquals(640L * 2560 / 4 + 32, GgmlType.I2_S.byteSize(Shape.of(640, 2560)));
        assertEquals(2.0, GgmlType.I2_S.bitsPerElement());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgmlType.I2_S.rowBytes(256));
        assertTrue(e.getMessage().contains("byteSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GgmlType.I2_S.byteSize(6));
    }

    @Test
    void removedAndUnknownIdsAreRejectedByName() {
        for (int id : new int[] {31, 32, 33}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgmlType.fromId(id));
            assertTrue(e.getMessage().contains("Q4_0_") && e.getMessage().contains("removed"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgmlType.fromId(4)).getMessage().contains("Q4_2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgmlType.fromId(99)).getMessage().contains("unknown ggml type id 99"));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.fromId(-1));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.fromId(1L << 40));
        assertEquals(GgmlType.BF16, GgmlType.fromId(30), "30 is bfloat16, not a ternary type");
    }

    @Test
    void sizesAreBlockMathWithChecks() {
        assertEquals(4096 / 32 * 34, GgmlType.Q8_0.rowBytes(4096));
        assertEquals(2L * 1024 / 256 * 66, GgmlType.TQ2_0.byteSize(Shape.of(2, 1024)));
        assertEquals(1024 / 256 * 54, GgmlType.TQ1_0.rowBytes(1024));
        assertEquals(12, GgmlType.F32.byteSize(3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgmlType.Q4_0.rowBytes(48)).getMessage().contains("block size 32"));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.TQ2_0.byteSize(Shape.of(256, 100)));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.F32.byteSize(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgmlType.F64.byteSize(Long.MAX_VALUE / 4)).getMessage().contains("overflow"));
    }
}
