package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.Fixtures;
import io.bitnet4j.testing.I2sCase;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The integer kernels against the peers' own outputs, bit for bit: llama.cpp's AVX2 TQ dot products
 * ({@code quant/vecdot_*_q8_k.f32}) and bitnet.cpp's I2_S {@code mul_mat} ({@code quant/i2s/}).
 */
class PeerKernelFixtureTest {
    private static final int ROWS = 19;
    private static final int COLS = 1024;
    private static final int TOKENS = 4;

    @ParameterizedTest
    @ValueSource(strings = {"tq1_0", "tq2_0"})
    void ternaryKernelReproducesLlamaCppVecDot(String type) throws IOException {
        byte[] weights = Fixtures.readBytes(Fixtures.require("quant/" + type + ".bin"));
        float[] x = Fixtures.readF32(Fixtures.require("quant/activations.f32"));
        float[] expected = Fixtures.readF32(Fixtures.require("quant/vecdot_" + type + "_q8_k.f32")); // [row][activation]
        WeightMatrix w = MatrixKernels.scalar().bind(
                Harness.tensor("w", GgmlType.valueOf(type.toUpperCase()), ROWS, COLS, weights));
        for (int threads = 1; threads <= 3; threads++) {
            float[] out = Harness.multiply(w, x, TOKENS, threads); // [activation][row]
            for (int r = 0; r < ROWS; r++) {
                for (int a = 0; a < TOKENS; a++) {
                    assertEquals(Float.floatToIntBits(expected[r * TOKENS + a]), Float.floatToIntBits(out[a * ROWS + r]),
                            type + " row " + r + " × activation " + a + " with " + threads + " threads: expected "
                                    + expected[r * TOKENS + a] + ", got " + out[a * ROWS + r]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512", "w640x2560"})
    void i2sKernelReproducesBitnetCppMatmul(String name) throws IOException {
        I2sCase c = I2sCase.load(name);
        byte[] weights = Fixtures.readBytes(Fixtures.require("quant/i2s/" + name + "/w.i2s"));
        WeightMatrix w = MatrixKernels.scalar().bind(Harness.tensor(name, GgmlType.I2_S, c.rows(), c.cols(), weights));
        float[] out = Harness.multiply(w, c.x(), c.tokens(), 2);
        assertEquals(-1, Harness.firstBitDifference(c.y(), out), name + ": first differing output");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tq1_0", "tq2_0"})
    void ternaryRowsDequantizeAsGgml(String type) throws IOException {
        byte[] weights = Fixtures.readBytes(Fixtures.require("quant/" + type + ".bin"));
        float[] expected = Fixtures.readF32(Fixtures.require("quant/" + type + ".deq.f32"));
        WeightMatrix w = MatrixKernels.scalar().bind(
                Harness.tensor("w", GgmlType.valueOf(type.toUpperCase()), ROWS, COLS, weights));
        float[] row = new float[COLS + 3];
        for (int r = 0; r < ROWS; r++) {
            w.dequantizeRow(r, row, 3, new KernelScratch(COLS));
            for (int c = 0; c < COLS; c++) {
                assertEquals(Float.floatToIntBits(expected[r * COLS + c]), Float.floatToIntBits(row[3 + c]), type + " [" + r + ", " + c + "]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512"})
    void i2sRowsDequantizeAsBitnetCpp(String name) throws IOException {
        I2sCase c = I2sCase.load(name);
        byte[] weights = Fixtures.readBytes(Fixtures.require("quant/i2s/" + name + "/w.i2s"));
        float[] expected = Fixtures.readF32(Fixtures.require("quant/i2s/" + name + "/w_dequant.f32"));
        WeightMatrix w = MatrixKernels.scalar().bind(Harness.tensor(name, GgmlType.I2_S, c.rows(), c.cols(), weights));
        float[] row = new float[c.cols()];
        for (int r = 0; r < c.rows(); r++) {
            w.dequantizeRow(r, row, 0, new KernelScratch(c.cols()));
            for (int k = 0; k < c.cols(); k++) {
                assertEquals(expected[r * c.cols() + k], row[k], 0f, name + " [" + r + ", " + k + "]");
            }
        }
    }
}
