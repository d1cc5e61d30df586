package io.bitnet4j.format;

import static io.bitnet4j.format.TqFixtureTest.assertBitsEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** I2_S against bitnet.cpp's bytes and matmul output in {@code quant/i2s/} (see its README). */
class I2sFixtureTest {

    /** One case folder and its manifest entry. */
    private record Case(String name, int rows, int cols, Object manifest) {
        static Case load(String name) throws IOException {
            Object m = MiniJson.parse(Files.readString(Fixtures.require("quant/i2s/manifest.json")));
            for (Object c : (java.util.List<?>) MiniJson.at(m, "cases")) {
                if (name.equals(MiniJson.at(c, "name"))) {
                    return new Case(name, (int) (double) (Double) MiniJson.at(c, "rows"), (int) (double) (Double) MiniJson.at(c, "cols"), c);
                }
            }
            throw new IllegalStateException("no case " + name);
        }

        int n() {
            return rows * cols;
        }

        float[] f32(String file) throws IOException {
            return Fixtures.readF32(Fixtures.require("quant/i2s/" + name + "/" + file));
        }

        byte[] bytes(String file) throws IOException {
            return Fixtures.readBytes(Fixtures.require("quant/i2s/" + name + "/" + file));
        }

        float manifestFloat(String key) {
            return (float) (double) (Double) MiniJson.at(manifest, key);
        }
    }

    /** The bytes a byte-exact writer must reproduce: codes and scale, not the padding. */
    private static byte[] meaningful(byte[] i2s, int n) {
        return Arrays.copyOf(i2s, n / 4 + 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void converterWeightQuantReproducesTernaryFloats(String name) throws IOException {
        Case c = Case.load(name);
        assertBitsEqual(c.f32("w_ternary.f32"), I2_S.weightQuant(c.f32("w_float.f32")), name + " weight_quant");
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void quantizeOfTernaryFloatsReproducesBitnetCppBytes(String name) throws IOException {
        Case c = Case.load(name);
        byte[] ours = I2_S.quantize(c.f32("w_ternary.f32"));
        byte[] theirs = c.bytes("w.i2s");
        assertEquals(theirs.length, ours.length);
        assertArrayEquals(meaningful(theirs, c.n()), meaningful(ours, c.n()));
        assertEquals(HexFormat.of().formatHex(theirs, c.n() / 4, c.n() / 4 + 4), MiniJson.at(c.manifest(), "i2s_scale_hex"));
        assertEquals(c.manifestFloat("i2s_scale"), I2_S.scale(ours, c.n()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void wholePipelineFromMasterWeights(String name) throws IOException {
        Case c = Case.load(name);
        byte[] ours = I2_S.quantize(I2_S.weightQuant(c.f32("w_float.f32")));
        assertArrayEquals(meaningful(c.bytes("w.i2s"), c.n()), meaningful(ours, c.n()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void dequantizeIsBitExact(String name) throws IOException {
        Case c = Case.load(name);
        assertBitsEqual(c.f32("w_dequant.f32"), I2_S.dequantize(c.bytes("w.i2s"), c.n()), name + " dequantize");
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void rawFloatsGiveTheSignOnlyEdgeCase(String name) throws IOException {
        Case c = Case.load(name);
        byte[] ours = I2_S.quantize(c.f32("w_float.f32"));
        assertArrayEquals(meaningful(c.bytes("w_float_direct.i2s"), c.n()), meaningful(ours, c.n()));
        assertEquals(c.manifestFloat("float_direct_scale"), I2_S.scale(ours, c.n()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void tritsUnpackAndPackBack(String name) throws IOException {
        Case c = Case.load(name);
        byte[] theirs = c.bytes("w.i2s");
        byte[] trits = c.bytes("ternary.i8");
        assertArrayEquals(trits, I2_S.unpackTrits(theirs, c.n()));
        byte[] packed = I2_S.pack(trits, c.manifestFloat("i2s_scale"));
        assertArrayEquals(meaningful(theirs, c.n()), meaningful(packed, c.n()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void matmulReproducesBitnetCppOutputBitForBit(String name) throws IOException {
        Case c = Case.load(name);
        float[] y = I2sMatmul.matmul(c.bytes("w.i2s"), c.rows(), c.cols(), c.f32("x.f32"));
        assertBitsEqual(c.f32("y_i2s_t1.f32"), y, name + " matmul");
    }
}
