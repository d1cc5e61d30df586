package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.AbsmeanQuantizer;
import io.bitnet4j.quant.BitNetConfig;
import io.bitnet4j.quant.EpsMode;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.I2sCase;
import io.bitnet4j.testing.SeededArrays;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Forward paths of {@link BitLinear}; its gradients are in {@link BitLinearBackwardTest}. */
class BitLinearTest {

    private static final int OUT = 6;
    private static final int IN = 64;
    private static final List<Granularity> GRANULARITIES = List.of(Granularity.perTensor(), Granularity.perRow(),
            Granularity.perGroup(16), Granularity.perBlock(48), Granularity.perBlock(128)); // 48 straddles rows
    private static final List<Shape> INPUTS = List.of(Shape.of(3, IN), Shape.of(2, 3, IN), Shape.of(IN));

    /**
     * The integer path against the float path over seeded shapes, every granularity, per-token and per-tensor
     * scaling, with and without RMSNorm and bias, at 8 and 3 bits. They differ only by the float rounding of each
     * fake-quantized activation, so the bound is a few ulps of {@code Σ |a_i · ŵ_i|}.
     */
    @Test
    void integerPathAgreesWithReferencePath() {
        long seed = 100;
        for (Granularity g : GRANULARITIES) {
            for (int bits : new int[] {8, 3}) {
                for (boolean perToken : new boolean[] {true, false}) {
                    for (boolean norm : new boolean[] {true, false}) {
                        BitNetConfig c = BitNetConfig.builder().activationBits(bits).perTokenActivation(perToken)
                                .rmsNormBeforeQuant(norm).build();
                        float[] bias = norm ? SeededArrays.gaussian(seed++, OUT, 1.0) : null;
                        BitLinear layer = BitLinear.fromFloat(SeededArrays.gaussian(seed++, OUT * IN, 0.05), Shape.of(OUT, IN), bias, c, g);
                        for (Shape shape : INPUTS) {
                            float[] x = SeededArrays.gaussian(seed++, shape.size(), 2.0);
                            assertPathsAgree(layer, x, shape, g + " bits " + bits + " perToken " + perToken + " norm " + norm + " " + shape);
                        }
                    }
                }
            }
        }
    }

    private static void assertPathsAgree(BitLinear layer, float[] x, Shape shape, String where) {
        float[] integer = layer.forwardInteger(x, shape);
        float[] reference = layer.forwardReference(x, shape);
        BitNetConfig c = layer.config();
        float[] input = c.rmsNormBeforeQuant() ? rmsNorm(x, shape.lastDim(), c.eps()) : x;
        float[] a = c.activationQuantizer().fakeQuantize(input, shape);
        float[] w = layer.weight().dequantize();
        assertEquals(shape.rows() * OUT, integer.length);
        for (int r = 0; r < shape.rows(); r++) {
            for (int o = 0; o < OUT; o++) {
                double magnitude = 0;
                for (int i = 0; i < IN; i++) {
                    magnitude += Math.abs((double) a[r * IN + i] * w[o * IN + i]);
                }
                float ref = reference[r * OUT + o];
                double tolerance = 4e-7 * magnitude + 2 * Math.ulp(ref);
                assertEquals(ref, integer[r * OUT + o], tolerance, where + " output " + r + "," + o);
            }
        }
    }

    /** x / sqrt(mean(x²) + eps) per row, plainly. */
    static float[] rmsNorm(float[] x, int width, float eps) {
        float[] out = new float[x.length];
        for (int r = 0; r < x.length / width; r++) {
            double squares = 0;
            for (int i = 0; i < width; i++) {
                squares += (double) x[r * width + i] * x[r * width + i];
            }
            double rms = Math.sqrt(squares / width + eps);
            for (int i = 0; i < width; i++) {
                out[r * width + i] = (float) (x[r * width + i] * (1 / rms));
            }
        }
        return out;
    }

    /** The whole layer written out plainly: RMSNorm, int8 absmax per token, absmean per group of 16, bias. */
    @Test
    void referencePathMatchesAPlainComputation() {
        BitNetConfig c = BitNetConfig.builder().groupSize(16).build();
        float[] w = SeededArrays.gaussian(110, OUT * IN, 0.05);
        float[] bias = SeededArrays.gaussian(111, OUT, 0.5);
        float[] x = SeededArrays.gaussian(112, 4 * IN, 3.0);
        BitLinear layer = BitLinear.fromFloat(w, Shape.of(OUT, IN), bias, c);
        float[] y = layer.forwardReference(x, Shape.of(4, IN));
        float[] n = rmsNorm(x, IN, 1e-5f);
        for (int r = 0; r < 4; r++) {
            float max = 0;
            for (int i = 0; i < IN; i++) {
                max = Math.max(max, Math.abs(n[r * IN + i]));
            }
            float aScale = max / 127;
            for (int o = 0; o < OUT; o++) {
                double sum = 0;
                double magnitude = 0;
                for (int grp = 0; grp < IN / 16; grp++) {
                    double abs = 0;
                    for (int i = grp * 16; i < grp * 16 + 16; i++) {
                        abs += Math.abs(w[o * IN + i]);
                    }
                    float gamma = (float) (abs / 16) + 1e-5f;
                    for (int i = grp * 16; i < grp * 16 + 16; i++) {
                        double t = Math.max(-1, Math.min(1, Math.round(Math.abs(w[o * IN + i] / gamma)) * Math.signum(w[o * IN + i])));
                        double q = Math.max(-127, Math.min(127, Math.round(Math.abs(n[r * IN + i] / aScale)) * Math.signum(n[r * IN + i])));
                        sum += t * gamma * q * aScale;
                        magnitude += Math.abs(t * gamma * q * aScale);
                    }
                }
                assertEquals(sum + bias[o], y[r * OUT + o], 1e-6 * magnitude + 1e-6, "output " + r + "," + o);
            }
        }
    }

    /** bitnet.cpp's I2_S matmul (int8 activations: 127 / max(max|x|, 1e-5), round half to even) on the fixtures. */
    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512"})
    void integerPathMatchesBitnetCppI2S(String name) throws IOException {
        I2sCase c = I2sCase.load(name);
        TernaryWeight w = TernaryWeight.of(Shape.of(c.rows(), c.cols()), Granularity.perTensor(), c.trits(), new float[] {c.scale()});
        BitNetConfig config = BitNetConfig.builder().rmsNormBeforeQuant(false).rounding(Rounding.HALF_EVEN).epsMode(EpsMode.CLAMP).build();
        float[] y = BitLinear.fromTernary(w, null, config).forwardInteger(c.x(), Shape.of(c.tokens(), c.cols()));
        // one int8 code off would move an output by scale · max|x| / 127 ≈ 4e-4; we allow a few ulps
        for (int i = 0; i < y.length; i++) {
            assertEquals(c.y()[i], y[i], 4 * Math.ulp(c.y()[i]), "output " + i);
        }
    }

    @Test
    void forwardQuantizedIsTheIntegerProductOfGivenCodes() {
        BitNetConfig c = BitNetConfig.builder().rmsNormBeforeQuant(false).activationBits(5).perTokenActivation(false).build();
        BitLinear layer = BitLinear.fromFloat(SeededArrays.gaussian(120, OUT * IN, 0.05), Shape.of(OUT, IN), null, c);
        float[] x = SeededArrays.gaussian(121, 2 * 3 * IN, 1.0);
        Shape shape = Shape.of(2, 3, IN);
        assertArrayEquals(layer.forwardInteger(x, shape), layer.forwardQuantized(c.activationQuantizer().quantize(x, shape)));
        var wrong = c.activationQuantizer().quantize(new float[32], Shape.of(1, 32));
        assertThrows(IllegalArgumentException.class, () -> layer.forwardQuantized(wrong));
    }

    @Test
    void requantizeFollowsTheMasterWeights() {
        float[] w = SeededArrays.gaussian(130, OUT * IN, 0.05);
        BitLinear layer = BitLinear.fromFloat(w, Shape.of(OUT, IN), null, BitNetConfig.training());
        float[] x = SeededArrays.gaussian(131, 2 * IN, 1.0);
        float[] before = layer.forward(x, Shape.of(2, IN));
        w[0] = 123f; // the layer keeps its own copy
        assertArrayEquals(before, layer.forward(x, Shape.of(2, IN)));
        float[] master = layer.masterWeights();
        for (int i = 0; i < master.length; i++) {
            master[i] = -master[i];
        }
        assertArrayEquals(before, layer.forward(x, Shape.of(2, IN)), "no change until requantize()");
        layer.requantize();
        float[] after = layer.forward(x, Shape.of(2, IN));
        for (int i = 0; i < after.length; i++) {
            assertEquals(-before[i], after[i], 1e-6f * (1 + Math.abs(before[i])), "negated weights negate the output");
        }
        assertArrayEquals(AbsmeanQuantizer.of(Granularity.perGroup(64)).quantize(master, Shape.of(OUT, IN)).trits(), layer.weight().trits());
        master[5] = Float.NaN;
        var e = assertThrows(IllegalArgumentException.class, layer::requantize);
        assertTrue(e.getMessage().contains("index 5"), e.getMessage());
    }

    @Test
    void ternaryLayersHaveNoMasterWeights() {
        TernaryWeight w = AbsmeanQuantizer.of(Granularity.perRow()).quantize(SeededArrays.gaussian(140, OUT * IN, 1.0), Shape.of(OUT, IN));
        BitLinear layer = BitLinear.fromTernary(w, null, BitNetConfig.inference());
        assertFalse(layer.hasMasterWeights());
        assertSame(w, layer.weight());
        assertThrows(IllegalStateException.class, layer::masterWeights);
        assertThrows(IllegalStateException.class, layer::requantize);
        assertNull(layer.bias());
    }

    @Test
    void countsParametersAndBytes() {
        float[] bias = new float[OUT];
        BitLinear layer = BitLinear.fromFloat(new float[OUT * IN], Shape.of(OUT, IN), bias, BitNetConfig.builder().groupSize(32).build());
        assertEquals(OUT * IN + OUT, layer.parameterCount());
        assertEquals(OUT * IN / 4 + 4 * (OUT * IN / 32) + 4 * OUT, layer.memoryBytes()); // packed + scales + bias
        assertEquals(IN, layer.inFeatures());
        assertEquals(OUT, layer.outFeatures());
    }

    @Test
    void rejectsBadConstruction() {
        Shape shape = Shape.of(OUT, IN);
        float[] w = new float[OUT * IN];
        var group = assertThrows(IllegalArgumentException.class,
                () -> BitLinear.fromFloat(new float[4 * 100], Shape.of(4, 100), null, BitNetConfig.inference()));
        assertTrue(group.getMessage().contains("not a multiple of the group size 64"), group.getMessage());
        assertEquals(4, BitLinear.fromFloat(new float[4 * 100], Shape.of(4, 100), null, BitNetConfig.inference(),
                Granularity.perRow()).weight().scales().length, "an explicit granularity lifts the restriction");
        var bias = assertThrows(IllegalArgumentException.class, () -> BitLinear.fromFloat(w, shape, new float[OUT + 1], BitNetConfig.inference()));
        assertTrue(bias.getMessage().contains("bias"), bias.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BitLinear.fromFloat(w, shape, new float[] {0, 0, 0, 0, 0, Float.NaN}, BitNetConfig.inference()));
        assertThrows(IllegalArgumentException.class, () -> BitLinear.fromFloat(w, Shape.of(2, 3, IN), null, BitNetConfig.inference()));
        assertThrows(IllegalArgumentException.class, () -> BitLinear.fromFloat(new float[5], shape, null, BitNetConfig.inference()));
        assertThrows(IllegalArgumentException.class, () -> BitLinear.fromFloat(w, shape, null, null));
        assertThrows(IllegalArgumentException.class, () -> BitLinear.fromTernary(null, null, BitNetConfig.inference()));
        float[] nan = w.clone();
        nan[3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> BitLinear.fromFloat(nan, shape, null, BitNetConfig.inference()));
    }

    @Test
    void rejectsBadInputs() {
        BitLinear layer = BitLinear.fromFloat(new float[OUT * IN], Shape.of(OUT, IN), null, BitNetConfig.inference());
        var width = assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[2 * 32], Shape.of(2, 32)));
        assertTrue(width.getMessage().contains("last dimension 32"), width.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[IN + 1], Shape.of(1, IN)));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[0], Shape.of(1, IN)));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(null, Shape.of(1, IN)));
        float[] x = new float[2 * IN];
        x[IN + 1] = Float.POSITIVE_INFINITY;
        var inf = assertThrows(IllegalArgumentException.class, () -> layer.forwardReference(x, Shape.of(2, IN)));
        assertTrue(inf.getMessage().contains("index " + (IN + 1)), inf.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer.forwardInteger(x, Shape.of(2, IN)));
    }

    @Test
    void zeroInputGivesTheBias() {
        float[] bias = {1f, -2f, 3f, 0f, 0.5f, 7f};
        BitLinear layer = BitLinear.fromFloat(SeededArrays.gaussian(150, OUT * IN, 1.0), Shape.of(OUT, IN), bias, BitNetConfig.inference());
        float[] y = layer.forward(new float[2 * IN], Shape.of(2, IN));
        float[] expected = new float[2 * OUT];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = bias[i % OUT];
        }
        assertArrayEquals(expected, y);
    }
}
