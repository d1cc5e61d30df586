package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.testing.Fixtures;
import io.bitnet4j.testing.SeededArrays;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The codec facade: peer tensors decode to the F32 file's weights, round trips, trit-exact ternary conversions, errors. */
class TensorCodecTest {

    static byte[] encode(GgmlType type, RowSource src) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TensorCodec.of(type).encode(src, Channels.newChannel(bytes));
        return bytes.toByteArray();
    }

    static byte[] encodeTernary(GgmlType type, TernarySource src) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TensorCodec.of(type).encodeTernary(src, Channels.newChannel(bytes));
        return bytes.toByteArray();
    }

    static RowSource stored(GgmlType type, long[] dims, byte[] data) {
        return TensorCodec.of(type).rows("t", dims, MemorySegment.ofArray(data));
    }

    static float[] all(RowSource rows) {
        float[] out = new float[Math.toIntExact(rows.elements())];
        rows.readRows(0, (int) rows.rows(), out);
        return out;
    }

    /** Equal values, with +0 and −0 counted as equal (ggml's dequantizers give +0 where numpy wrote −0). */
    static void assertSameValues(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0f, what + " element " + i);
        }
    }

    static byte[] trits(TernarySource t) {
        byte[] out = new byte[Math.toIntExact(t.elements())];
        t.readTrits(0, (int) t.rows(), out);
        return out;
    }

    /** Ternary-valued floats t·s with about a third zeros. */
    static float[] ternaryValues(long seed, int n, float s) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextInt(3) - 1) * s;
        }
        return x;
    }

    @Test
    void peerTernaryTensorsDecodeToTheF32FilesWeights() throws IOException {
        Path dir = Fixtures.require("models/bitnet-silu-tiny");
        Path i2sDir = Fixtures.require("models/bitnet-i2s-tiny");
        List<Path[]> pairs = List.of(
                new Path[] {dir.resolve("bitnet-silu-tiny-f32.gguf"), dir.resolve("bitnet-silu-tiny-tq2_0.gguf")},
                new Path[] {dir.resolve("bitnet-silu-tiny-f32.gguf"), dir.resolve("bitnet-silu-tiny-tq1_0.gguf")},
                new Path[] {i2sDir.resolve("bitnet-tiny-b158-f32.gguf"), i2sDir.resolve("bitnet-tiny-b158-i2s.gguf")});
        for (Path[] pair : pairs) {
            try (GgufFile f32 = GgufFile.open(pair[0]); GgufFile q = GgufFile.open(pair[1])) {
                int compared = 0;
                for (GgufTensor t : q.tensors()) {
                    float[] expected = all(TensorCodec.rows(f32.tensor(t.name())));
                    float[] actual = all(TensorCodec.rows(t));
                    assertSameValues(expected, actual, pair[1].getFileName() + " " + t.name());
                    compared += t.type() != GgmlType.F32 ? 1 : 0;
                }
                assertEquals(29, compared, "28 linear tensors and the F16 embedding");
            }
        }
    }

    @Test
    void rowRangesDecodeTheSameValuesAsTheWholeTensor() throws IOException {
        Path p = Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf");
        try (GgufFile f = GgufFile.open(p)) {
            RowSource rows = TensorCodec.rows(f.tensor("blk.1.ffn_down.weight"));
            float[] whole = all(rows);
            float[] three = new float[(int) (3 * rows.rowLength())];
            rows.readRows(101, 3, three);
            for (int i = 0; i < three.length; i++) {
                assertEquals(whole[(int) (101 * rows.rowLength()) + i], three[i], 0f);
            }
        }
    }

    @Test
    void i2sRowsNeedNotAlignWithItsRunsOf128() throws IOException {
        float[] x = ternaryValues(1, 36 * 32, 0.25f); // rows of 36: most rows start inside a run
        byte[] data = I2_S.quantize(x);
        RowSource rows = stored(GgmlType.I2_S, new long[] {36, 32}, data);
        float[] row = new float[36 * 5];
        rows.readRows(7, 5, row);
        for (int i = 0; i < row.length; i++) {
            assertEquals(x[7 * 36 + i], row[i], 0f, "element " + i);
        }
        assertArrayEquals(x, all(rows));
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "TQ1_0", "TQ2_0", "I2_S"})
    void ternaryValuedFloatsRoundTripExactlyThroughEveryEncodableType(GgmlType type) throws IOException {
        float[] x = ternaryValues(type.ordinal(), 512 * 6, 127f / 2048); // exact in every type, and so is 1/127 of it (Q8_0's d)
        RowSource src = RowSource.of("w", 512, x);
        byte[] bytes = encode(type, src);
        assertEquals(type.byteSize(x.length), bytes.length);
        assertArrayEquals(x, all(stored(type, new long[] {512, 6}, bytes)), type.name());
    }

    @Test
    void gaussianDataRoundTripsWithinEachTypesPrecision() throws IOException {
        float[] x = SeededArrays.gaussian(11, 256 * 8, 1.0);
        assertArrayEquals(x, all(stored(GgmlType.F32, new long[] {256, 8}, encode(GgmlType.F32, RowSource.of("w", 256, x)))));
        float[] f16 = all(stored(GgmlType.F16, new long[] {256, 8}, encode(GgmlType.F16, RowSource.of("w", 256, x))));
        float[] bf16 = all(stored(GgmlType.BF16, new long[] {256, 8}, encode(GgmlType.BF16, RowSource.of("w", 256, x))));
        float[] q8 = all(stored(GgmlType.Q8_0, new long[] {256, 8}, encode(GgmlType.Q8_0, RowSource.of("w", 256, x))));
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(x[i])), f16[i], 0f);
            assertEquals(x[i], bf16[i], Math.abs(x[i]) * 0x1p-8f);
            assertEquals(x[i], q8[i], 5f / 127 * 0.51f + 1e-3f); // half a step of the largest plausible block scale
        }
    }

    @Test
    void everyPairOfTernaryTypesKeepsEveryTrit() throws IOException {
        float[] x = ternaryValues(5, 256 * 16, 0.03125f);
        GgmlType[] ternary = {GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.I2_S};
        for (GgmlType from : ternary) {
            TernarySource src = (TernarySource) stored(from, new long[] {256, 16}, encode(from, RowSource.of("w", 256, x)));
            byte[] expectedTrits = trits(src);
            for (GgmlType to : ternary) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                double err = TensorCodec.of(to).encodeTernary(src, Channels.newChannel(out));
                TernarySource back = (TernarySource) stored(to, new long[] {256, 16}, out.toByteArray());
                assertArrayEquals(expectedTrits, trits(back), from + " → " + to);
                assertArrayEquals(x, all(back), from + " → " + to);
                assertEquals(0.0, err, from + " → " + to);
            }
        }
    }

    @Test
    void tqBlockScalesMergeIntoTheLeastSquaresI2sScale() throws IOException {
        byte[] t = new byte[512];
        for (int i = 0; i < 512; i++) {
            t[i] = (byte) (i % 3 - 1);
        }
        byte[] tq = TQ2_0.FORMAT.pack(t, new float[] {1f, 3f});
        TernarySource src = (TernarySource) stored(GgmlType.TQ2_0, new long[] {256, 2}, tq);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        double err = TensorCodec.of(GgmlType.I2_S).encodeTernary(src, Channels.newChannel(out));
        byte[] i2s = out.toByteArray();
        int n0 = 0;
        int n1 = 0;
        for (int i = 0; i < 512; i++) {
            if (t[i] != 0) {
                n0 += i < 256 ? 1 : 0;
                n1 += i < 256 ? 0 : 1;
            }
        }
        double fit = (1.0 * n0 + 3.0 * n1) / (n0 + n1); // minimizes Σ n (|s| − u)²
        assertEquals((float) fit, I2_S.scale(i2s, 512));
        assertArrayEquals(t, I2_S.unpackTrits(i2s, 512));
        double u = (float) fit;
        assertEquals(Math.sqrt((n0 * (1 - u) * (1 - u) + n1 * (3 - u) * (3 - u)) / (n0 + 9.0 * n1)), err, 1e-9);
    }

    @Test
    void negativeAndZeroBlockScalesAreNormalized() throws IOException {
        byte[] t = new byte[768];
        for (int i = 0; i < 768; i++) {
            t[i] = (byte) (i % 3 - 1);
        }
        byte[] tq = TQ2_0.FORMAT.pack(t, new float[] {-0.5f, 0f, 0.5f});
        TernarySource src = (TernarySource) stored(GgmlType.TQ2_0, new long[] {256, 3}, tq);
        byte[] tq1 = encodeTernary(GgmlType.TQ1_0, src);
        RowSource back = stored(GgmlType.TQ1_0, new long[] {256, 3}, tq1);
        assertSameValues(all(src), all(back), "values");
        byte[] backTrits = trits((TernarySource) back);
        for (int i = 0; i < 256; i++) {
            assertEquals(-t[i], backTrits[i], "flipped for the negative scale");
            assertEquals(0, backTrits[256 + i], "zeroed for the zero scale");
        }
        float[] scales = io.bitnet4j.format.TQ1_0.FORMAT.unpackScales(tq1, 768);
        assertArrayEquals(new float[] {0.5f, 0f, 0.5f}, scales);
    }

    @Test
    void decodeOnlyAndUnknownTypesSayWhich() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorCodec.of(GgmlType.IQ2_XXS));
        assertTrue(e.getMessage().contains("IQ2_XXS") && e.getMessage().contains("Q6_K"), e.getMessage());
        assertFalse(TensorCodec.of(GgmlType.Q4_K).canEncode());
        e = assertThrows(IllegalArgumentException.class, () -> encode(GgmlType.Q6_K, RowSource.of("blk.3.w", 256, new float[256])));
        assertTrue(e.getMessage().contains("blk.3.w") && e.getMessage().contains("Q6_K"), e.getMessage());
        GgufTensor t = new GgufTensor("blk.9.attn_q.weight", GgmlType.IQ1_S, new long[] {256}, 256, 0, 50, MemorySegment.ofArray(new byte[50]));
        e = assertThrows(IllegalArgumentException.class, () -> TensorCodec.rows(t));
        assertTrue(e.getMessage().contains("blk.9.attn_q.weight") && e.getMessage().contains("IQ1_S"), e.getMessage());
    }

    @Test
    void badValuesAndShapesAreNamed() {
        float[] x = new float[512];
        x[300] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode(GgmlType.TQ2_0, RowSource.of("w.q", 256, x)));
        assertTrue(e.getMessage().contains("'w.q'") && e.getMessage().contains("row 1, column 44"), e.getMessage());
        float[] big = new float[32];
        big[3] = 70000f;
        e = assertThrows(IllegalArgumentException.class, () -> encode(GgmlType.F16, RowSource.of("emb", 32, big)));
        assertTrue(e.getMessage().contains("beyond the F16 range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> encode(GgmlType.TQ1_0, RowSource.of("w", 128, new float[256])));
        assertTrue(e.getMessage().contains("row length 128"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> encode(GgmlType.I2_S, RowSource.of("w", 64, new float[128])));
        assertTrue(e.getMessage().contains("multiple of 128"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stored(GgmlType.Q8_0, new long[] {32, 2}, new byte[67]));
        assertTrue(e.getMessage().contains("67 bytes") && e.getMessage().contains("needs 68"), e.getMessage());
        RowSource rows = stored(GgmlType.F32, new long[] {4, 2}, new byte[32]);
        e = assertThrows(IllegalArgumentException.class, () -> rows.readRows(1, 2, new float[8]));
        assertTrue(e.getMessage().contains("not inside its 2 rows"), e.getMessage());
    }
}
