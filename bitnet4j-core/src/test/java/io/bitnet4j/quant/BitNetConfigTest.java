package io.bitnet4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.nn.BitLinear;
import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.SeededArrays;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BitNetConfigTest {

    @Test
    void presetsHoldTheDefaults() {
        BitNetConfig inference = BitNetConfig.inference();
        assertEquals(64, inference.groupSize());
        assertEquals(8, inference.activationBits());
        assertTrue(inference.perTokenActivation());
        assertTrue(inference.rmsNormBeforeQuant());
        assertEquals(1e-5f, inference.eps());
        assertFalse(inference.useSte());
        assertEquals(Rounding.HALF_AWAY_FROM_ZERO, inference.rounding());
        assertEquals(EpsMode.ADD, inference.epsMode());
        BitNetConfig training = BitNetConfig.training();
        assertTrue(training.useSte());
        assertEquals(inference, training.toBuilder().useSte(false).build());
    }

    @Test
    void builderSetsEveryFieldAndToBuilderRoundTrips() {
        BitNetConfig c = BitNetConfig.builder().groupSize(128).activationBits(4).perTokenActivation(false)
                .rmsNormBeforeQuant(false).eps(1e-3f).useSte(true).rounding(Rounding.HALF_EVEN).epsMode(EpsMode.CLAMP).build();
        assertEquals(new BitNetConfig(128, 4, false, false, 1e-3f, true, Rounding.HALF_EVEN, EpsMode.CLAMP), c);
        assertEquals(c, c.toBuilder().build());
        assertEquals(c, c.validate());
    }

    @Test
    void quantizersFollowTheConfig() {
        BitNetConfig c = BitNetConfig.builder().groupSize(32).activationBits(6).perTokenActivation(false).eps(1e-4f)
                .rounding(Rounding.HALF_EVEN).epsMode(EpsMode.CLAMP).build();
        assertEquals(new AbsmeanQuantizer(Granularity.perGroup(32), Rounding.HALF_EVEN, 1e-4f, EpsMode.CLAMP), c.weightQuantizer());
        assertEquals(new ActivationQuantizer(6, false, 1e-4f, Rounding.HALF_EVEN, ActivationQuantizer.ScaleForm.MULTIPLY_INVERSE),
                c.activationQuantizer());
        assertEquals(ActivationQuantizer.int8PerToken(), BitNetConfig.inference().activationQuantizer());
    }

    @Test
    void validationNamesTheBadField() {
        assertRejected(b -> b.groupSize(0), "group size");
        assertRejected(b -> b.groupSize(-64), "group size");
        assertRejected(b -> b.groupSize(48), "power of two");
        assertRejected(b -> b.activationBits(1), "activation bits");
        assertRejected(b -> b.activationBits(9), "activation bits");
        assertRejected(b -> b.eps(0f), "eps");
        assertRejected(b -> b.eps(-1e-5f), "eps");
        assertRejected(b -> b.eps(Float.NaN), "eps");
        assertRejected(b -> b.eps(Float.POSITIVE_INFINITY), "eps");
        assertRejected(b -> b.eps(1e-44f), "eps"); // positive, but its inverse overflows
        assertRejected(b -> b.rounding(null), "rounding");
        assertRejected(b -> b.epsMode(null), "eps mode");
        assertDoesNotThrow(() -> BitNetConfig.builder().groupSize(1).activationBits(2).build());
    }

    private static void assertRejected(UnaryOperator<BitNetConfig.Builder> change, String fragment) {
        var e = assertThrows(IllegalArgumentException.class, () -> change.apply(BitNetConfig.builder()).build());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    // ---- every field changes behaviour -------------------------------------------------------------

    private static final int OUT = 8;
    private static final int IN = 128;
    private static final float[] W = SeededArrays.gaussian(40, OUT * IN, 0.05);
    /** Rows of very different magnitude and a non-unit RMS, so per-token scaling and RMSNorm both matter. */
    private static final float[] X = scaleRows(SeededArrays.gaussian(41, 3 * IN, 1.0), 0.1f, 3f, 40f);

    private static float[] scaleRows(float[] x, float... factors) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= factors[i / IN];
        }
        return x;
    }

    private static float[] output(BitNetConfig c) {
        return BitLinear.fromFloat(W, Shape.of(OUT, IN), null, c).forward(X, Shape.of(3, IN));
    }

    private static void assertChangesOutput(UnaryOperator<BitNetConfig.Builder> change) {
        BitNetConfig base = BitNetConfig.inference();
        BitNetConfig changed = change.apply(base.toBuilder()).build();
        assertFalse(Arrays.equals(output(base), output(changed)), base + " vs " + changed);
    }

    @Test
    void groupSizeChangesTheWeightScales() {
        assertChangesOutput(b -> b.groupSize(128));
        assertEquals(OUT * IN / 32,
                BitLinear.fromFloat(W, Shape.of(OUT, IN), null, BitNetConfig.builder().groupSize(32).build()).weight().scales().length);
    }

    @Test
    void activationBitsChangeTheOutput() {
        assertChangesOutput(b -> b.activationBits(4));
    }

    @Test
    void perTokenActivationChangesTheOutput() {
        assertChangesOutput(b -> b.perTokenActivation(false));
    }

    @Test
    void rmsNormBeforeQuantChangesTheOutput() {
        assertChangesOutput(b -> b.rmsNormBeforeQuant(false));
    }

    @Test
    void epsChangesTheOutput() {
        assertChangesOutput(b -> b.eps(0.05f));
        assertChangesOutput(b -> b.eps(0.05f).rmsNormBeforeQuant(false)); // through gamma and the floor alone
    }

    @Test
    void roundingChangesTheOutputAtExactHalves() {
        // no RMSNorm and a row maximum of 127: the activation scale is exactly 1, so the halves stay halves
        float[] x = new float[IN];
        for (int i = 0; i < IN; i++) {
            x[i] = i == 0 ? 127f : (i % 7) - 3.5f;
        }
        BitNetConfig away = BitNetConfig.builder().rmsNormBeforeQuant(false).build();
        BitNetConfig even = away.toBuilder().rounding(Rounding.HALF_EVEN).build();
        float[] a = BitLinear.fromFloat(W, Shape.of(OUT, IN), null, away).forward(x, Shape.of(1, IN));
        float[] e = BitLinear.fromFloat(W, Shape.of(OUT, IN), null, even).forward(x, Shape.of(1, IN));
        assertFalse(Arrays.equals(a, e));
    }

    @Test
    void epsModeChangesTheOutputAtExactHalves() {
        // each group of 8 weights has mean |W| = 1 and holds ±0.5: ADD divides by 1 + eps (they become 0), CLAMP by 1 (±1)
        float[] pattern = {2f, -0.5f, 0.5f, -2f, 0f, 1f, -1f, 1f};
        float[] w = new float[OUT * IN];
        for (int i = 0; i < w.length; i++) {
            w[i] = pattern[i % 8];
        }
        BitNetConfig add = BitNetConfig.inference();
        BitNetConfig clamp = add.toBuilder().epsMode(EpsMode.CLAMP).build();
        BitLinear a = BitLinear.fromFloat(w, Shape.of(OUT, IN), null, add);
        BitLinear c = BitLinear.fromFloat(w, Shape.of(OUT, IN), null, clamp);
        assertEquals(0, a.weight().trit(1));
        assertEquals(-1, c.weight().trit(1));
        assertFalse(Arrays.equals(a.forward(X, Shape.of(3, IN)), c.forward(X, Shape.of(3, IN))));
    }

    @Test
    void useSteSelectsTheFloatPathAndEnablesTheGradient() {
        BitLinear inference = BitLinear.fromFloat(W, Shape.of(OUT, IN), null, BitNetConfig.inference());
        BitLinear training = BitLinear.fromFloat(W, Shape.of(OUT, IN), null, BitNetConfig.training());
        Shape shape = Shape.of(3, IN);
        assertArrayEquals(inference.forwardInteger(X, shape), inference.forward(X, shape));
        assertArrayEquals(training.forwardReference(X, shape), training.forward(X, shape));
        assertFalse(Arrays.equals(inference.forwardInteger(X, shape), inference.forwardReference(X, shape)),
                "the two paths differ in float rounding, so the dispatch is observable");
        float[] gradOut = new float[3 * OUT];
        var e = assertThrows(IllegalStateException.class, () -> inference.backward(X, shape, gradOut));
        assertTrue(e.getMessage().contains("useSte"), e.getMessage());
        assertDoesNotThrow(() -> training.backward(X, shape, gradOut));
    }
}
