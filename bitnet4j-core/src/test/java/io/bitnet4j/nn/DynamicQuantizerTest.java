package io.bitnet4j.nn;

import static io.bitnet4j.nn.Rejects.rejects;
import static io.bitnet4j.nn.Int8Reference.floatLinear;
import static io.bitnet4j.nn.Int8Reference.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DynamicQuantizerTest {

    /** A plain float layer for the tests, computing in double. */
    private record FloatLayer(float[] weights, float[] bias, int outFeatures, int inFeatures) implements HasFloatWeights {
        static FloatLayer random(SplittableRandom rnd, int out, int in, boolean withBias) {
            return new FloatLayer(uniform(rnd, out * in, -1, 1), withBias ? uniform(rnd, out, -1, 1) : null, out, in);
        }

        @Override
        public float[] forward(float[] x, Shape inputShape) {
            double[] y = floatLinear(x, weights, bias, outFeatures, inFeatures);
            float[] f = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                f[i] = (float) y[i];
            }
            return f;
        }

        @Override
        public long parameterCount() {
            return (long) outFeatures * inFeatures + (bias == null ? 0 : outFeatures);
        }
    }

    /** A layer that is not float (and not quantizable), to be left alone. */
    private record OpaqueLayer(int inFeatures, int outFeatures) implements Linear {
        @Override
        public float[] forward(float[] x, Shape inputShape) {
            return new float[outputShape(inputShape).size()];
        }

        @Override
        public long parameterCount() {
            return 0;
        }
    }

    @Test
    void quantizesAFloatLayerLikeTheQuantizedLinearConstructor() {
        SplittableRandom rnd = new SplittableRandom(41);
        FloatLayer f = FloatLayer.random(rnd, 6, 10, true);
        float[] x = uniform(rnd, 3 * 10, -2, 2);
        for (DynamicQuantizer dq : List.of(DynamicQuantizer.perToken(), DynamicQuantizer.perTensor())) {
            QuantizedLinear q = dq.quantize(f);
            QuantizedLinear direct = new QuantizedLinear(f.weights(), Shape.of(6, 10), f.bias(), dq.options());
            assertArrayEquals(direct.forward(x, Shape.of(3, 10)), q.forward(x, Shape.of(3, 10)));
            assertEquals(dq.options(), q.options());
        }
        assertEquals(ActivationScaling.dynamicPerToken(), DynamicQuantizer.perToken().options().activationScaling());
        assertEquals(ActivationScaling.dynamicPerTensor(), DynamicQuantizer.perTensor().options().activationScaling());
    }

    @Test
    void scalesFollowTheInputOfEveryCall() {
        // a layer quantized once stays accurate for inputs of very different magnitudes, because s_x is per call
        SplittableRandom rnd = new SplittableRandom(42);
        FloatLayer f = FloatLayer.random(rnd, 8, 64, true);
        QuantizedLinear q = DynamicQuantizer.perTensor().quantize(f);
        for (double magnitude : new double[] {1e-3, 1, 1e3}) {
            float[] x = uniform(rnd, 2 * 64, -magnitude, magnitude);
            float[] expected = f.forward(x, Shape.of(2, 64));
            float[] actual = q.forward(x, Shape.of(2, 64));
            double errNorm = 0;
            double refNorm = 0;
            for (int i = 0; i < expected.length; i++) {
                errNorm += Math.pow(actual[i] - expected[i], 2);
                refNorm += Math.pow(expected[i], 2);
            }
            assertTrue(Math.sqrt(errNorm / refNorm) < 0.02, "magnitude " + magnitude + ": relative error " + Math.sqrt(errNorm / refNorm));
        }
    }

    @Test
    void convertsTheFloatLayersOfAMapAndLeavesTheOthersAlone() {
        SplittableRandom rnd = new SplittableRandom(43);
        FloatLayer qProj = FloatLayer.random(rnd, 4, 8, false);
        FloatLayer up = FloatLayer.random(rnd, 16, 8, true);
        FloatLayer lmHead = FloatLayer.random(rnd, 10, 8, false);
        QuantizedLinear already = DynamicQuantizer.perToken().quantize(FloatLayer.random(rnd, 8, 8, true));
        OpaqueLayer opaque = new OpaqueLayer(8, 8);
        Map<String, Linear> model = new LinkedHashMap<>();
        model.put("layers.0.q_proj", qProj);
        model.put("layers.0.norm_proj", opaque);
        model.put("layers.0.up_proj", up);
        model.put("layers.0.already_int8", already);
        model.put("lm_head", lmHead);
        Map<String, Linear> before = new LinkedHashMap<>(model);

        DynamicQuantizer.Conversion c = DynamicQuantizer.perToken().quantizeAll(model, name -> !name.equals("lm_head"));

        assertEquals(List.of("layers.0.q_proj", "layers.0.up_proj"), c.converted());
        assertEquals(List.of("layers.0.norm_proj", "layers.0.already_int8", "lm_head"), c.unchanged());
        assertEquals(List.copyOf(model.keySet()), List.copyOf(c.layers().keySet()), "order preserved");
        assertEquals(before, model, "input map not modified");
        assertSame(opaque, c.layers().get("layers.0.norm_proj"));
        assertSame(already, c.layers().get("layers.0.already_int8"));
        assertSame(lmHead, c.layers().get("lm_head"));
        QuantizedLinear upQ = assertInstanceOf(QuantizedLinear.class, c.layers().get("layers.0.up_proj"));
        assertArrayEquals(up.bias(), upQ.bias());
        assertEquals(ActivationScaling.dynamicPerToken(), upQ.options().activationScaling());
        assertTrue(c.summary().startsWith("quantized 2 of 5 layers"), c.summary());
        assertThrows(UnsupportedOperationException.class, () -> c.layers().put("x", opaque));

        assertEquals(List.of("layers.0.q_proj", "layers.0.up_proj", "lm_head"), DynamicQuantizer.perTensor().quantizeAll(model).converted());
    }

    @Test
    void rejectsStaticScalesAndBadLayersWithTheLayersName() {
        rejects("dynamic quantization computes input scales per call", () -> new DynamicQuantizer(
                new QuantizedLinear.Options(Granularity.perRow(), ActivationScaling.fixedScale(0.1f), Rounding.HALF_AWAY_FROM_ZERO)));

        Map<String, Linear> withNaN = new LinkedHashMap<>();
        withNaN.put("ok", new OpaqueLayer(2, 2));
        withNaN.put("bad", new FloatLayer(new float[] {1, Float.NaN, 0, 0}, null, 2, 2));
        rejects("layer 'bad': weights has a non-finite value NaN at index 1",
                () -> DynamicQuantizer.perToken().quantizeAll(withNaN));

        Map<String, Linear> wrongSize = Map.of("short", new FloatLayer(new float[3], null, 2, 2));
        rejects("layer 'short': weights has 3 elements but shape [2, 2] needs 4",
                () -> DynamicQuantizer.perToken().quantizeAll(wrongSize));

        Map<String, Linear> withNull = new LinkedHashMap<>();
        withNull.put("missing", null);
        rejects("layer 'missing' is null", () -> DynamicQuantizer.perToken().quantizeAll(withNull));
    }
}
