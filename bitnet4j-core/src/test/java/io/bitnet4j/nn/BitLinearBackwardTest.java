package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.BitNetConfig;
import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.SeededArrays;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link BitLinear#backward} with the straight-through estimator. STE replaces each quantizer's derivative by the
 * identity, so the gradient must equal that of the surrogate function in which the quantizers are the identity and
 * their outputs are held at the values the forward pass produced: with respect to the input, a float linear layer
 * over the dequantized weights after an exact RMSNorm; with respect to the weights, a float linear layer over the
 * fake-quantized activations. Both surrogates are written here in double and differentiated numerically.
 */
class BitLinearBackwardTest {

    private static final int ROWS = 3;
    private static final int IN = 32;
    private static final int OUT = 5;
    private static final double H = 1e-4;

    private static BitLinear layer(boolean norm, boolean bias) {
        BitNetConfig c = BitNetConfig.training().toBuilder().groupSize(16).rmsNormBeforeQuant(norm).build();
        return BitLinear.fromFloat(SeededArrays.gaussian(200, OUT * IN, 0.1), Shape.of(OUT, IN),
                bias ? SeededArrays.gaussian(201, OUT, 1.0) : null, c);
    }

    private static final float[] X = SeededArrays.gaussian(202, ROWS * IN, 2.0);
    private static final float[] GRAD_OUT = SeededArrays.gaussian(203, ROWS * OUT, 1.0);
    private static final Shape SHAPE = Shape.of(ROWS, IN);

    /** Σ g ⊙ (norm(x) · wᵀ + b) in double, with norm the RMSNorm (no gain) or the identity. */
    private static double surrogate(double[] x, double[] w, double[] b, boolean norm, double eps) {
        double loss = 0;
        for (int r = 0; r < ROWS; r++) {
            double scale = 1;
            if (norm) {
                double squares = 0;
                for (int i = 0; i < IN; i++) {
                    squares += x[r * IN + i] * x[r * IN + i];
                }
                scale = 1 / Math.sqrt(squares / IN + eps);
            }
            for (int o = 0; o < OUT; o++) {
                double y = b == null ? 0 : b[o];
                for (int i = 0; i < IN; i++) {
                    y += x[r * IN + i] * scale * w[o * IN + i];
                }
                loss += GRAD_OUT[r * OUT + o] * y;
            }
        }
        return loss;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Central differences of {@code f} at {@code at}. */
    private static double[] numericalGradient(double[] at, ToDoubleFunction<double[]> f) {
        double[] grad = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            double keep = at[i];
            at[i] = keep + H;
            double up = f.applyAsDouble(at);
            at[i] = keep - H;
            double down = f.applyAsDouble(at);
            at[i] = keep;
            grad[i] = (up - down) / (2 * H);
        }
        return grad;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), what + " " + i);
        }
    }

    @Test
    void inputGradientMatchesFiniteDifferencesThroughRmsNorm() {
        for (boolean norm : new boolean[] {true, false}) {
            BitLinear layer = layer(norm, true);
            double[] w = toDouble(layer.weight().dequantize());
            double eps = layer.config().eps();
            double[] b = toDouble(layer.bias());
            double[] expected = numericalGradient(toDouble(X), x -> surrogate(x, w, b, norm, eps));
            assertClose(expected, layer.backward(X, SHAPE, GRAD_OUT).dInput(), "dInput (norm " + norm + ")");
        }
    }

    @Test
    void weightGradientMatchesFiniteDifferencesOverTheQuantizedActivations() {
        BitLinear layer = layer(true, true);
        float[] normalized = BitLinearTest.rmsNorm(X, IN, layer.config().eps());
        double[] a = toDouble(layer.config().activationQuantizer().fakeQuantize(normalized, SHAPE));
        double[] b = toDouble(layer.bias());
        double[] expected = numericalGradient(toDouble(layer.masterWeights()), w -> surrogate(a, w, b, false, 0));
        assertClose(expected, layer.backward(X, SHAPE, GRAD_OUT).dWeight(), "dWeight");
    }

    @Test
    void biasGradientMatchesFiniteDifferences() {
        BitLinear layer = layer(true, true);
        double[] w = toDouble(layer.weight().dequantize());
        double[] x = toDouble(X);
        double eps = layer.config().eps();
        double[] expected = numericalGradient(toDouble(layer.bias()), b -> surrogate(x, w, b, true, eps));
        assertClose(expected, layer.backward(X, SHAPE, GRAD_OUT).dBias(), "dBias");
        assertNull(layer(true, false).backward(X, SHAPE, GRAD_OUT).dBias());
    }

    /** The STE formulas written out: dW = gᵀ·a with the fake-quantized activations, dX = g·Ŵ with the dequantized weights. */
    @Test
    void gradientsEqualTheAnalyticSteFormulas() {
        BitLinear layer = layer(false, true);
        float[] a = layer.config().activationQuantizer().fakeQuantize(X, SHAPE);
        float[] w = layer.weight().dequantize();
        LinearGradients grads = layer.backward(X, SHAPE, GRAD_OUT);
        for (int o = 0; o < OUT; o++) {
            double db = 0;
            for (int r = 0; r < ROWS; r++) {
                db += GRAD_OUT[r * OUT + o];
            }
            assertEquals(db, grads.dBias()[o], 1e-6 * (1 + Math.abs(db)));
            for (int i = 0; i < IN; i++) {
                double dw = 0;
                for (int r = 0; r < ROWS; r++) {
                    dw += (double) GRAD_OUT[r * OUT + o] * a[r * IN + i];
                }
                assertEquals(dw, grads.dWeight()[o * IN + i], 1e-6 * (1 + Math.abs(dw)), "dWeight " + o + "," + i);
            }
        }
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < IN; i++) {
                double dx = 0;
                for (int o = 0; o < OUT; o++) {
                    dx += (double) GRAD_OUT[r * OUT + o] * w[o * IN + i];
                }
                assertEquals(dx, grads.dInput()[r * IN + i], 1e-6 * (1 + Math.abs(dx)), "dInput " + r + "," + i);
            }
        }
    }

    @Test
    void worksForThreeDimensionalInputs() {
        BitLinear layer = layer(true, false);
        Shape shape3 = Shape.of(1, ROWS, IN);
        LinearGradients flat = layer.backward(X, SHAPE, GRAD_OUT);
        LinearGradients batched = layer.backward(X, shape3, GRAD_OUT);
        assertArrayEquals(flat.dInput(), batched.dInput());
        assertArrayEquals(flat.dWeight(), batched.dWeight());
    }

    @Test
    void rejectsBadGradients() {
        BitLinear layer = layer(true, true);
        var length = assertThrows(IllegalArgumentException.class, () -> layer.backward(X, SHAPE, new float[ROWS * OUT - 1]));
        assertTrue(length.getMessage().contains("output gradient"), length.getMessage());
        float[] nan = GRAD_OUT.clone();
        nan[2] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> layer.backward(X, SHAPE, nan));
        assertThrows(IllegalArgumentException.class, () -> layer.backward(X, SHAPE, null));
        assertThrows(IllegalArgumentException.class, () -> layer.backward(X, Shape.of(ROWS, 16, 2), GRAD_OUT));
    }

    @Test
    void inferenceLayersHaveNoGradient() {
        BitLinear layer = BitLinear.fromFloat(new float[OUT * IN], Shape.of(OUT, IN), null,
                BitNetConfig.builder().groupSize(16).build());
        var e = assertThrows(IllegalStateException.class, () -> layer.backward(X, SHAPE, GRAD_OUT));
        assertTrue(e.getMessage().contains("BitNetConfig.training()"), e.getMessage());
    }
}
