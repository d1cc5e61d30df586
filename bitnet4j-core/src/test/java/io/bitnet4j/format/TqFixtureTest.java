package io.bitnet4j.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TQ1_0, TQ2_0 and Q8_K against llama.cpp's bytes and results in {@code quant/} (see the fixtures README). */
class TqFixtureTest {
    private static final int ROWS = 19;
    private static final int ACT_ROWS = 4;
    private static final int COLS = 1024;
    private static final int BLOCKS_PER_ROW = COLS / 256;

    static Stream<TernaryBlockFormat> formats() {
        return Stream.of(TQ1_0.FORMAT, TQ2_0.FORMAT);
    }

    private static String file(TernaryBlockFormat f, String suffix) {
        return "quant/" + f.name().toLowerCase() + suffix;
    }

    private static Object manifest() throws IOException {
        return MiniJson.parse(Files.readString(Fixtures.require("quant/manifest.json")));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void quantizeReproducesLlamaCppBytesForEveryRow(TernaryBlockFormat f) throws IOException {
        float[] inputs = Fixtures.readF32(Fixtures.require("quant/inputs.f32"));
        byte[] expected = Fixtures.readBytes(Fixtures.require(file(f, ".bin")));
        byte[] actual = f.quantize(inputs);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                int block = i / f.blockBytes();
                fail(f + ": first differing byte " + i + " (row " + block / BLOCKS_PER_ROW + ", block " + block % BLOCKS_PER_ROW
                        + ", offset " + i % f.blockBytes() + "): expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void blockScalesMatchTheManifest(TernaryBlockFormat f) throws IOException {
        Object m = manifest();
        short[] bits = f.unpackScaleBits(f.quantize(Fixtures.readF32(Fixtures.require("quant/inputs.f32"))), ROWS * COLS);
        for (int r = 0; r < ROWS; r++) {
            List<?> expected = (List<?>) MiniJson.at(m, "rows", r, "block_d_fp16_bits");
            for (int b = 0; b < BLOCKS_PER_ROW; b++) {
                int want = Integer.parseInt(((String) expected.get(b)).substring(2), 16);
                assertEquals(want, bits[r * BLOCKS_PER_ROW + b] & 0xFFFF, f + " row " + r + " block " + b);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void dequantizeIsBitExact(TernaryBlockFormat f) throws IOException {
        byte[] packed = Fixtures.readBytes(Fixtures.require(file(f, ".bin")));
        float[] expected = Fixtures.readF32(Fixtures.require(file(f, ".deq.f32")));
        assertBitsEqual(expected, f.dequantize(packed, ROWS * COLS), f + " dequantize");
    }

    @Test
    void q8kQuantizeReproducesLlamaCppBytes() throws IOException {
        float[] act = Fixtures.readF32(Fixtures.require("quant/activations.f32"));
        byte[] expected = Fixtures.readBytes(Fixtures.require("quant/activations.q8_k.bin"));
        byte[] actual = Q8_K.quantize(act);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], "Q8_K byte " + i + " (block " + i / Q8_K.BLOCK_BYTES + ")");
        }
        assertEquals(expected.length, actual.length);
    }

    @Test
    void q8kScalesAndDequantizeMatch() throws IOException {
        Object m = manifest();
        byte[] q8 = Fixtures.readBytes(Fixtures.require("quant/activations.q8_k.bin"));
        for (int a = 0; a < ACT_ROWS; a++) {
            List<?> d = (List<?>) MiniJson.at(m, "activations", a, "block_q8k_d");
            for (int b = 0; b < BLOCKS_PER_ROW; b++) {
                assertEquals((float) (double) (Double) d.get(b), Q8_K.scale(q8, a * BLOCKS_PER_ROW + b), "activation " + a + " block " + b);
            }
        }
        float[] expected = Fixtures.readF32(Fixtures.require("quant/activations.q8_k.deq.f32"));
        assertBitsEqual(expected, Q8_K.dequantize(q8, ACT_ROWS * COLS), "Q8_K dequantize");
    }

    @ParameterizedTest
    @MethodSource("formats")
    void perBlockIntegerSumsAreExact(TernaryBlockFormat f) throws IOException {
        Object m = manifest();
        byte[] w = Fixtures.readBytes(Fixtures.require(file(f, ".bin")));
        byte[] q8 = Fixtures.readBytes(Fixtures.require("quant/activations.q8_k.bin"));
        List<?> sums = (List<?>) MiniJson.at(m, "vec_dot", f.name().toLowerCase(), "per_block_integer_sums");
        for (int r = 0; r < ROWS; r++) {
            for (int a = 0; a < ACT_ROWS; a++) {
                for (int b = 0; b < BLOCKS_PER_ROW; b++) {
                    int want = (int) (double) (Double) MiniJson.at(sums, r, a, b);
                    assertEquals(want, f.blockDot(w, r * BLOCKS_PER_ROW + b, q8, a * BLOCKS_PER_ROW + b),
                            f + " row " + r + " activation " + a + " block " + b);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void dotReproducesTheGenericScalarOrderBitForBit(TernaryBlockFormat f) throws IOException {
        Object m = manifest();
        byte[] w = Fixtures.readBytes(Fixtures.require(file(f, ".bin")));
        byte[] q8 = Fixtures.readBytes(Fixtures.require("quant/activations.q8_k.bin"));
        List<?> generic = (List<?>) MiniJson.at(m, "vec_dot", f.name().toLowerCase(), "generic_scalar_path_float32");
        for (int r = 0; r < ROWS; r++) {
            for (int a = 0; a < ACT_ROWS; a++) {
                float want = (float) (double) (Double) MiniJson.at(generic, r, a);
                float got = f.dot(w, r * BLOCKS_PER_ROW, q8, a * BLOCKS_PER_ROW, BLOCKS_PER_ROW);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), f + " row " + r + " activation " + a
                        + ": expected " + want + ", got " + got);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void dotAgreesWithTheAvx2KernelWithinItsDocumentedGap(TernaryBlockFormat f) throws IOException {
        byte[] w = Fixtures.readBytes(Fixtures.require(file(f, ".bin")));
        byte[] q8 = Fixtures.readBytes(Fixtures.require("quant/activations.q8_k.bin"));
        float[] avx = Fixtures.readF32(Fixtures.require("quant/vecdot_" + f.name().toLowerCase() + "_q8_k.f32"));
        for (int r = 0; r < ROWS; r++) {
            for (int a = 0; a < ACT_ROWS; a++) {
                float want = avx[r * ACT_ROWS + a];
                float got = f.dot(w, r * BLOCKS_PER_ROW, q8, a * BLOCKS_PER_ROW, BLOCKS_PER_ROW);
                double tolerance = 5.5e-4 * Math.abs(want) + 1e-10; // relative; absolute for near-zero results
                assertTrue(Math.abs(got - want) <= tolerance, f + " row " + r + " activation " + a + ": " + got + " vs AVX2 " + want);
            }
        }
    }

    @Test
    void bothFormatsEncodeTheSameTritsAndScales() throws IOException {
        byte[] tq1 = Fixtures.readBytes(Fixtures.require("quant/tq1_0.bin"));
        byte[] tq2 = Fixtures.readBytes(Fixtures.require("quant/tq2_0.bin"));
        int n = ROWS * COLS;
        assertEquals(java.util.Arrays.toString(TQ1_0.FORMAT.unpackScaleBits(tq1, n)),
                java.util.Arrays.toString(TQ2_0.FORMAT.unpackScaleBits(tq2, n)));
        assertTrue(java.util.Arrays.equals(TQ1_0.FORMAT.unpackTrits(tq1, n), TQ2_0.FORMAT.unpackTrits(tq2, n)));
        // and each format's packer rebuilds its own peer bytes from them
        assertTrue(java.util.Arrays.equals(tq2, TQ2_0.FORMAT.pack(TQ1_0.FORMAT.unpackTrits(tq1, n), TQ1_0.FORMAT.unpackScaleBits(tq1, n))));
        assertTrue(java.util.Arrays.equals(tq1, TQ1_0.FORMAT.pack(TQ2_0.FORMAT.unpackTrits(tq2, n), TQ2_0.FORMAT.unpackScaleBits(tq2, n))));
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }
}
