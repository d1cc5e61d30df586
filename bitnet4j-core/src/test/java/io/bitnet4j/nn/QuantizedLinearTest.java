package io.bitnet4j.nn;

import static io.bitnet4j.nn.Rejects.rejects;
import static io.bitnet4j.nn.Int8Reference.absmaxScale;
import static io.bitnet4j.nn.Int8Reference.fakeQuantLinear;
import static io.bitnet4j.nn.Int8Reference.filled;
import static io.bitnet4j.nn.Int8Reference.floatLinear;
import static io.bitnet4j.nn.Int8Reference.rowScales;
import static io.bitnet4j.nn.Int8Reference.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantizedLinearTest {

    private static final QuantizedLinear.Options PER_TOKEN = QuantizedLinear.Options.defaults();

    private static QuantizedLinear.Options options(Granularity weights, ActivationScaling inputs) {
        return new QuantizedLinear.Options(weights, inputs, Rounding.HALF_AWAY_FROM_ZERO);
    }

    /** Per-output weight scales as the test computes them for a granularity. */
    private static float[] testWeightScales(float[] w, int out, int in, Granularity g) {
        return g instanceof Granularity.PerTensor ? filled(out, absmaxScale(w, 0, w.length)) : rowScales(w, out, in);
    }

    private static float[] testInputScales(float[] x, int rows, int in, ActivationScaling s) {
        return switch (s) {
            case ActivationScaling.Static st -> filled(rows, st.scale());
            case ActivationScaling.DynamicPerTensor t -> filled(rows, absmaxScale(x, 0, x.length));
            case ActivationScaling.DynamicPerToken t -> rowScales(x, rows, in);
        };
    }

    /** |y − fake-quantized reference| ≤ ½·s_x·s_w (the int32 bias rounding) + float rounding, element by element. */
    private static void assertMatchesFakeQuant(float[] y, float[] x, float[] xs, float[] w, float[] ws, float[] b, int out, int in) {
        double[] ref = fakeQuantLinear(x, xs, w, ws, b, out, in);
        double[] magnitude = fakeQuantLinear(abs(x), xs, abs(w), ws, b == null ? null : abs(b), out, in);
        assertEquals(ref.length, y.length);
        for (int k = 0; k < y.length; k++) {
            int r = k / out;
            int o = k % out;
            double bound = 0.5 * xs[r] * ws[o] + 1e-6 * magnitude[k] + 1e-30;
            double err = Math.abs(y[k] - ref[k]);
            assertTrue(err <= bound, "row " + r + " output " + o + ": " + y[k] + " vs reference " + ref[k] + " (error " + err
                    + " > bound " + bound + ")");
        }
    }

    private static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }

    @Test
    void integerPathIsWithinTheQuantizationErrorBoundOfTheUnquantizedDoubleReference() {
        Granularity[] weightModes = {Granularity.perRow(), Granularity.perTensor()};
        ActivationScaling[] inputModes = {ActivationScaling.dynamicPerToken(), ActivationScaling.dynamicPerTensor()};
        SplittableRandom rnd = new SplittableRandom(11);
        for (Granularity g : weightModes) {
            for (ActivationScaling s : inputModes) {
                int out = 1 + rnd.nextInt(12);
                int in = 1 + rnd.nextInt(70);
                int rows = 1 + rnd.nextInt(5);
                float[] w = uniform(rnd, out * in, -0.3, 0.3);
                float[] b = uniform(rnd, out, -1, 1);
                float[] x = uniform(rnd, rows * in, -4, 4);
                float[] y = new QuantizedLinear(w, Shape.of(out, in), b, options(g, s)).forward(x, Shape.of(rows, in));

                double[] exact = floatLinear(x, w, b, out, in);
                float[] ws = testWeightScales(w, out, in, g);
                float[] xs = testInputScales(x, rows, in, s);
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < out; o++) {
                        // |xw − x̂ŵ| ≤ |x|·Δw + |w|·Δx + Δx·Δw with Δ = s/2 (no clamping: dynamic scales cover the data);
                        // plus ½·s_x·s_w for the int32 bias and float rounding.
                        double dx = xs[r] / 2.0;
                        double dw = ws[o] / 2.0;
                        double bound = 2 * dx * dw + 1e-6;
                        for (int i = 0; i < in; i++) {
                            bound += Math.abs(x[r * in + i]) * dw + Math.abs(w[o * in + i]) * dx + dx * dw;
                        }
                        double err = Math.abs(y[r * out + o] - exact[r * out + o]);
                        assertTrue(err <= bound, g + "/" + s + " row " + r + " output " + o + ": error " + err + " > " + bound);
                    }
                }
            }
        }
    }

    @Test
    void integerPathMatchesTheFakeQuantizedReferenceAndTheFloatReferencePath() {
        SplittableRandom rnd = new SplittableRandom(12);
        ActivationScaling[] inputModes = {
            ActivationScaling.dynamicPerToken(), ActivationScaling.dynamicPerTensor(), ActivationScaling.fixedScale(0.02f)};
        for (int trial = 0; trial < 12; trial++) {
            Granularity g = trial % 2 == 0 ? Granularity.perRow() : Granularity.perTensor();
            ActivationScaling s = inputModes[trial % 3];
            int out = 1 + rnd.nextInt(16);
            int in = 1 + rnd.nextInt(100);
            int rows = 1 + rnd.nextInt(6);
            float[] w = uniform(rnd, out * in, -2, 2);
            float[] b = trial % 4 == 3 ? null : uniform(rnd, out, -3, 3);
            float[] x = uniform(rnd, rows * in, -2, 2);
            QuantizedLinear layer = new QuantizedLinear(w, Shape.of(out, in), b, options(g, s));
            Shape shape = Shape.of(rows, in);
            float[] xs = testInputScales(x, rows, in, s);
            float[] ws = testWeightScales(w, out, in, g);
            assertArrayEquals(ws, layer.weightScales());
            assertMatchesFakeQuant(layer.forward(x, shape), x, xs, w, ws, b, out, in);
            assertMatchesFakeQuant(layer.forwardReference(x, shape), x, xs, w, ws, b, out, in);
        }
    }

    @Test
    void biasIsRequantizedWhenTheStaticInputScaleChanges() {
        // With a bias quantized for one scale and reused at another, output o is off by b[o]·(s_new/s_old − 1):
        // here about |b| ≈ 1, thousands of times the ½·s_x·s_w bound.
        SplittableRandom rnd = new SplittableRandom(13);
        int out = 8;
        int in = 32;
        float[] w = uniform(rnd, out * in, -1, 1);
        float[] b = uniform(rnd, out, -2, 2);
        float[] x = uniform(rnd, 4 * in, -1, 1);
        Shape shape = Shape.of(4, in);
        float[] ws = rowScales(w, out, in);

        QuantizedLinear first = new QuantizedLinear(w, Shape.of(out, in), b, PER_TOKEN.withActivationScaling(ActivationScaling.fixedScale(0.01f)));
        assertMatchesFakeQuant(first.forward(x, shape), x, filled(4, 0.01f), w, ws, b, out, in);

        QuantizedLinear second = first.withActivationScaling(ActivationScaling.fixedScale(0.02f));
        assertMatchesFakeQuant(second.forward(x, shape), x, filled(4, 0.02f), w, ws, b, out, in);

        float[] sample = uniform(rnd, 3 * in, -0.5, 0.5);
        QuantizedLinear calibrated = second.calibrated(sample, Shape.of(3, in));
        float calibratedScale = absmaxScale(sample, 0, sample.length);
        assertEquals(new ActivationScaling.Static(calibratedScale), calibrated.options().activationScaling());
        assertMatchesFakeQuant(calibrated.forward(x, shape), x, filled(4, calibratedScale), w, ws, b, out, in);

        // and back: the first scale still gets its own bias after the others were used
        assertMatchesFakeQuant(first.forward(x, shape), x, filled(4, 0.01f), w, ws, b, out, in);
    }

    @Test
    void perTokenScalesGiveEachRowItsOwnScaleAndBias() {
        SplittableRandom rnd = new SplittableRandom(14);
        int out = 6;
        int in = 20;
        float[] w = uniform(rnd, out * in, -1, 1);
        float[] b = uniform(rnd, out, -1, 1);
        double[] magnitudes = {1e-3, 1, 1e3, 0, 5};
        int rows = magnitudes.length;
        float[] x = new float[rows * in];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                x[r * in + i] = (float) (magnitudes[r] * rnd.nextDouble(-1, 1));
            }
        }
        QuantizedLinear layer = new QuantizedLinear(w, Shape.of(out, in), b, PER_TOKEN);
        float[] y = layer.forward(x, Shape.of(rows, in));
        float[] xs = rowScales(x, rows, in);
        assertArrayEquals(xs, ActivationScaling.dynamicPerToken().quantize(x, Shape.of(rows, in),
                Rounding.HALF_AWAY_FROM_ZERO).scales());
        assertMatchesFakeQuant(y, x, xs, w, rowScales(w, out, in), b, out, in);

        // the all-zero row (scale 0, codes 0) gives exactly the bias
        float[] zeroRow = java.util.Arrays.copyOfRange(y, 3 * out, 4 * out);
        assertArrayEquals(b, zeroRow);
    }

    @Test
    void biasThatCannotBeAnInt32CodeKeepsItsFloatValue() {
        // a zero weight row has s_w = 0, and inputs around 1e-12 make b / (s_x·s_w) ≈ 1e16 > 2^31:
        // both outputs must still be x̂·ŵ + b, not 0 or a saturated int32 times a tiny scale
        SplittableRandom rnd = new SplittableRandom(18);
        int in = 10;
        float[] w = uniform(rnd, 2 * in, -1, 1);
        java.util.Arrays.fill(w, in, 2 * in, 0f);
        float[] b = {1f, -2f};
        float[] x = uniform(rnd, 3 * in, -1e-12, 1e-12);
        QuantizedLinear layer = new QuantizedLinear(w, Shape.of(2, in), b, PER_TOKEN);
        float[] y = layer.forward(x, Shape.of(3, in));
        assertMatchesFakeQuant(y, x, rowScales(x, 3, in), w, rowScales(w, 2, in), b, 2, in);
        for (int r = 0; r < 3; r++) {
            assertEquals(-2f, y[r * 2 + 1], "zero weight row gives exactly the bias");
        }
    }

    @Test
    void exactlyRepresentableWeightsAndInputsReproduceExactly() {
        SplittableRandom rnd = new SplittableRandom(15);
        int out = 5;
        int in = 24;
        int rows = 3;
        float sx = 0x1p-7f; // per-token scale of inputs whose largest code is 127
        float[] w = new float[out * in];
        float[] b = new float[out];
        byte[] codes = new byte[out * in];
        for (int o = 0; o < out; o++) {
            float sw = (1 + rnd.nextInt(1 << 12)) * 0x1p-20f; // few significant bits: k·s_w, 127·s_w and s_x·s_w·m are exact floats
            for (int i = 0; i < in; i++) {
                int k = i == o ? (o % 2 == 0 ? 127 : -127) : rnd.nextInt(-127, 128);
                codes[o * in + i] = (byte) k;
                w[o * in + i] = k * sw;
            }
            b[o] = rnd.nextInt(-1000, 1001) * (sx * sw);
        }
        float[] x = new float[rows * in];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                x[r * in + i] = (i == r ? 127 : rnd.nextInt(-127, 128)) * sx;
            }
        }
        QuantizedLinear layer = new QuantizedLinear(w, Shape.of(out, in), b, PER_TOKEN);
        assertArrayEquals(codes, layer.weightCodes());
        assertArrayEquals(w, layer.dequantizedWeights());

        double[] exact = floatLinear(x, w, b, out, in);
        float[] expected = new float[exact.length];
        for (int k = 0; k < exact.length; k++) {
            expected[k] = (float) exact[k];
        }
        assertArrayEquals(expected, layer.forward(x, Shape.of(rows, in)));
        assertArrayEquals(expected, layer.forwardReference(x, Shape.of(rows, in)));
    }

    @Test
    void codesClampAtPlusMinus127AndNeverReachMinus128() {
        // weights: the most negative weight of a row maps to −127 exactly
        float[] w = {-3f, 1f, 2f, 0.5f, -0.25f, 0.125f};
        QuantizedLinear layer = new QuantizedLinear(w, Shape.of(2, 3), new float[] {0.5f, -0.5f},
                PER_TOKEN.withActivationScaling(ActivationScaling.fixedScale(0.01f)));
        byte[] codes = layer.weightCodes();
        assertEquals(-127, codes[0]);
        assertEquals(127, codes[3]);

        // inputs far beyond 127·s_x saturate at ±127 under a static scale
        float[] x = {5f, -5f, 0.3f, -1e30f, 1e30f, -0.005f};
        Shape shape = Shape.of(2, 3);
        byte[] xCodes = ActivationScaling.fixedScale(0.01f).quantize(x, shape, Rounding.HALF_AWAY_FROM_ZERO).data();
        assertArrayEquals(new byte[] {127, -127, 30, -127, 127, -1}, xCodes); // −0.5 rounds away from zero to −1

        // and the layer computes with the clamped values
        assertMatchesFakeQuant(layer.forward(x, shape), x, filled(2, 0.01f), w, rowScales(w, 2, 3), new float[] {0.5f, -0.5f}, 2, 3);

        SplittableRandom rnd = new SplittableRandom(16);
        float[] big = uniform(rnd, 64 * 64, -10, 10);
        for (byte c : new QuantizedLinear(big, Shape.of(64, 64), null, PER_TOKEN.withWeightGranularity(Granularity.perTensor())).weightCodes()) {
            assertTrue(c >= -127 && c <= 127, "code " + c);
        }
    }

    @Test
    void weightRoundingFollowsTheRoundingOption() {
        // s_w = 127/127 = 1, so the codes are the weights rounded
        float[] w = {127f, 0.5f, -0.5f, 1.5f, -2.5f};
        QuantizedLinear away = new QuantizedLinear(w, Shape.of(1, 5), null, PER_TOKEN);
        assertArrayEquals(new byte[] {127, 1, -1, 2, -3}, away.weightCodes());
        QuantizedLinear even = new QuantizedLinear(w, Shape.of(1, 5), null, PER_TOKEN.withRounding(Rounding.HALF_EVEN));
        assertArrayEquals(new byte[] {127, 0, 0, 2, -2}, even.weightCodes());
    }

    @Test
    void accumulatesExactlyBeyondTheInt32Range() {
        // 140,000 products of 127·127 sum to 2,258,060,000 > 2^31 − 1: an int32 accumulator would wrap negative
        int in = 140_000;
        QuantizedLinear layer = new QuantizedLinear(filled(in, 1f), Shape.of(1, in), null, PER_TOKEN);
        float[] y = layer.forward(filled(in, 1f), Shape.of(1, in));
        assertEquals(in, y[0], in * 1e-6);
    }

    @Test
    void threeDimensionalInputsAreRowsOfTheLastAxis() {
        SplittableRandom rnd = new SplittableRandom(17);
        int out = 7;
        int in = 9;
        float[] w = uniform(rnd, out * in, -1, 1);
        float[] b = uniform(rnd, out, -1, 1);
        float[] x = uniform(rnd, 2 * 3 * in, -1, 1);
        QuantizedLinear layer = new QuantizedLinear(w, Shape.of(out, in), b, PER_TOKEN);
        Shape shape3 = Shape.of(2, 3, in);
        assertEquals(Shape.of(2, 3, out), layer.outputShape(shape3));
        float[] y3 = layer.forward(x, shape3);
        assertEquals(2 * 3 * out, y3.length);
        assertArrayEquals(layer.forward(x, Shape.of(6, in)), y3);
        assertMatchesFakeQuant(y3, x, rowScales(x, 6, in), w, rowScales(w, out, in), b, out, in);
    }

    @Test
    void countsParameters() {
        assertEquals(3 * 4 + 3, new QuantizedLinear(new float[12], Shape.of(3, 4), new float[3], PER_TOKEN).parameterCount());
        assertEquals(3 * 4, new QuantizedLinear(new float[12], Shape.of(3, 4), null, PER_TOKEN).parameterCount());
    }

    @Test
    void rejectsBadConstructionWithClearMessages() {
        float[] w = {1, 2, 3, 4, 5, 6};
        Shape s = Shape.of(2, 3);
        rejects("weights has a non-finite value NaN at index 4",
                () -> new QuantizedLinear(new float[] {1, 2, 3, 4, Float.NaN, 6}, s, null, PER_TOKEN));
        rejects("bias has a non-finite value Infinity at index 1",
                () -> new QuantizedLinear(w, s, new float[] {0, Float.POSITIVE_INFINITY}, PER_TOKEN));
        rejects("bias has 3 elements but the layer has 2 outputs", () -> new QuantizedLinear(w, s, new float[3], PER_TOKEN));
        rejects("weights has 6 elements but shape [3, 3] needs 9", () -> new QuantizedLinear(w, Shape.of(3, 3), null, PER_TOKEN));
        rejects("weights is empty", () -> new QuantizedLinear(new float[0], s, null, PER_TOKEN));
        rejects("weights is null", () -> new QuantizedLinear(null, s, null, PER_TOKEN));
        rejects("weight shape [6] must be [out, in]", () -> new QuantizedLinear(w, Shape.of(6), null, PER_TOKEN));
        rejects("per-row (per output channel) or per-tensor",
                () -> PER_TOKEN.withWeightGranularity(Granularity.perGroup(3)));
        rejects("static input scale is 0.0", () -> ActivationScaling.fixedScale(0f));
        rejects("static input scale is NaN", () -> ActivationScaling.fixedScale(Float.NaN));
        QuantizedLinear layer = new QuantizedLinear(w, s, null, PER_TOKEN);
        rejects("calibration sample is all zeros", () -> layer.calibrated(new float[6], Shape.of(2, 3)));
    }

    @Test
    void rejectsBadInputsWithClearMessages() {
        QuantizedLinear layer = new QuantizedLinear(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3), null, PER_TOKEN);
        rejects("input shape [2, 4] has last dimension 4 but the layer takes 3", () -> layer.forward(new float[8], Shape.of(2, 4)));
        rejects("input shape [3] has rank 1", () -> layer.forward(new float[3], Shape.of(3)));
        rejects("input has 5 elements but shape [2, 3] needs 6", () -> layer.forward(new float[5], Shape.of(2, 3)));
        rejects("input is empty", () -> layer.forward(new float[0], Shape.of(1, 3)));
        rejects("input has a non-finite value NaN at index 2", () -> layer.forward(new float[] {0, 1, Float.NaN}, Shape.of(1, 3)));
        rejects("input has a non-finite value NaN at index 2",
                () -> layer.forwardReference(new float[] {0, 1, Float.NaN}, Shape.of(1, 3)));
    }
}
