package io.bitnet4j.quant.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LSQ against finite differences of its straight-through surrogate.
 *
 * <p><b>The surrogate.</b> LSQ's gradients are exact derivatives of a function in which round() is
 * replaced by "its argument plus a constant": at the base step {@code s0}, with
 * {@code u_i(s) = clamp(x_i/s, qmin, qmax)}, freeze the rounding residual {@code r_i = round(u_i(s0)) − u_i(s0)}
 * and define {@code q̃_i(s) = (u_i(s) + r_i)·s} and {@code L(s) = Σ g_i·q̃_i(s)}. At {@code s0} this is exactly
 * the forward value; its derivative keeps round's value but gives round a derivative of 1 w.r.t. its
 * argument (the STE). Inside the range {@code dq̃/ds = r_i = round(x/s) − x/s}, outside it is {@code qmin}
 * or {@code qmax}, which is LSQ's formula; so {@code dL/ds} by central differences, times the gradient
 * scale {@code 1/sqrt(N·Qp)}, must equal the step gradient. Freezing {@code round(x/s)} itself as an
 * integer instead would drop the {@code −x/s} term; the test checks that this naive version disagrees,
 * so it can tell the two apart. Elements are kept away from the clamp kinks, where the surrogate is not
 * differentiable.
 */
class LsqQuantizerTest {
    private static final QuantSpec INT4 = new QuantSpec(4, true, true, false); // codes -8..7

    private static FakeQuantConfig config(QuantSpec spec, ScaleScope scope) {
        return new FakeQuantConfig(spec, scope, true, ObserverKind.NONE, true, QatData.EVEN);
    }

    /** L(s) of the class comment for the elements of one channel (all elements when channelOf is null). */
    private static double surrogate(float[] x, float[] g, double s0, double s, int qmin, int qmax, ChannelLayout layout, int channel) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            if (layout.channelOf(i) != channel) {
                continue;
            }
            double u0 = Math.max(qmin, Math.min(qmax, x[i] / s0));
            double r = Math.rint(u0) - u0;
            double u = Math.max(qmin, Math.min(qmax, x[i] / s));
            sum += g[i] * (u + r) * s;
        }
        return sum;
    }

    /** d/ds of Σ g·clamp(R)·s with the integer R = round(x/s0) frozen: the naive, wrong construction. */
    private static double naive(float[] x, float[] g, double s0, int qmin, int qmax) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += g[i] * Math.max(qmin, Math.min(qmax, Math.rint(x[i] / s0)));
        }
        return sum;
    }

    private static void requireAwayFromKinks(float[] x, float[] s, ChannelLayout layout, int qmin, int qmax) {
        for (int i = 0; i < x.length; i++) {
            double v = x[i] / (double) s[layout.channelOf(i)];
            assertTrue(Math.abs(v - qmin) > 1e-3 && Math.abs(v - qmax) > 1e-3, "element " + i + " sits on a kink: " + v);
        }
    }

    private static void checkStepGradient(QuantSpec spec, ScaleScope scope, Shape shape, float[] x, float[] steps, long seed) {
        LsqQuantizer lsq = new LsqQuantizer(config(spec, scope));
        lsq.setSteps(steps);
        ChannelLayout layout = ChannelLayout.of(scope, shape);
        requireAwayFromKinks(x, steps, layout, spec.qmin(), spec.qmax());
        float[] g = QatData.gaussian(new SplittableRandom(seed), x.length, 0, 1);
        float[] y = lsq.forward(x, shape);
        QuantGradients grads = lsq.backward(x, shape, g);
        int clipped = 0;
        for (int c = 0; c < steps.length; c++) {
            double s0 = steps[c];
            double h = 1e-5 * s0;
            double fd = (surrogate(x, g, s0, s0 + h, spec.qmin(), spec.qmax(), layout, c)
                    - surrogate(x, g, s0, s0 - h, spec.qmin(), spec.qmax(), layout, c)) / (2 * h);
            double scale = 1 / Math.sqrt((double) layout.elementsPerChannel() * spec.qmax());
            assertEquals(fd * scale, grads.step()[c], 1e-4 * (Math.abs(fd * scale) + 1e-3), "channel " + c);
        }
        for (int i = 0; i < x.length; i++) {
            double s0 = steps[layout.channelOf(i)];
            double v = x[i] / s0;
            // Forward equals the surrogate at s0, i.e. round(clamp(x/s0))·s0.
            assertEquals(Math.rint(Math.max(spec.qmin(), Math.min(spec.qmax(), v))) * s0, y[i], 1e-6 * (s0 + Math.abs(y[i])), "forward " + i);
            // dq̃/dx by central differences in x: 1 inside, 0 outside.
            double hx = 1e-4 * s0;
            double up = Math.max(spec.qmin(), Math.min(spec.qmax(), (x[i] + hx) / s0)) * s0;
            double down = Math.max(spec.qmin(), Math.min(spec.qmax(), (x[i] - hx) / s0)) * s0;
            assertEquals(g[i] * (up - down) / (2 * hx), grads.input()[i], 1e-4, "input gradient " + i);
            clipped += (v < spec.qmin() || v > spec.qmax()) ? 1 : 0;
        }
        assertTrue(clipped > 0 && clipped < x.length, "both branches exercised: " + clipped + " clipped");
    }

    @Test
    void perTensorStepGradientMatchesFiniteDifferencesOfTheSurrogate() {
        float[] x = QatData.gaussian(new SplittableRandom(81), 400, 0.2, 1);
        checkStepGradient(INT4, ScaleScope.perTensor(), Shape.of(20, 20), x, new float[] {0.21f}, 82);
    }

    @Test
    void perChannelStepGradientMatchesFiniteDifferencesOfTheSurrogate() {
        SplittableRandom rng = new SplittableRandom(83);
        float[] x = new float[3 * 4 * 10];
        for (int i = 0; i < x.length; i++) {
            int c = (i / 10) % 4; // shape [3, 4, 10], channels along axis 1
            x[i] = (float) (rng.nextGaussian() * (1 + c));
        }
        checkStepGradient(INT4, ScaleScope.perChannel(1), Shape.of(3, 4, 10), x, new float[] {0.2f, 0.35f, 0.5f, 0.9f}, 84);
    }

    @Test
    void unsignedTernaryAndWideGridsToo() {
        SplittableRandom rng = new SplittableRandom(85);
        float[] relu = QatData.gaussian(rng, 300, 0.5, 1); // some negatives: clipped to code 0
        checkStepGradient(new QuantSpec(4, true, false, false), ScaleScope.perTensor(), Shape.of(300), relu, new float[] {0.1f}, 86);
        float[] w = QatData.gaussian(rng, 300, 0, 1);
        checkStepGradient(new QuantSpec(2, true, true, true), ScaleScope.perTensor(), Shape.of(300), w, new float[] {0.7f}, 87);
        float[] wide = QatData.gaussian(rng, 300, 0, 1);
        checkStepGradient(new QuantSpec(8, true, true, false), ScaleScope.perTensor(), Shape.of(300), wide, new float[] {0.02f}, 88);
    }

    @Test
    void theSurrogateConstructionDistinguishesLsqFromFreezingTheInteger() {
        float[] x = QatData.gaussian(new SplittableRandom(89), 400, 0.2, 1);
        float[] g = QatData.gaussian(new SplittableRandom(90), 400, 0, 1);
        LsqQuantizer lsq = new LsqQuantizer(config(INT4, ScaleScope.perTensor()));
        lsq.setSteps(new float[] {0.21f});
        double lsqGrad = lsq.backward(x, Shape.of(400), g).step()[0] * Math.sqrt(400 * 7.0);
        assertTrue(Math.abs(lsqGrad - naive(x, g, 0.21, -8, 7)) > 0.1 * Math.abs(lsqGrad), "naive and LSQ agree, so the test proves nothing");
    }

    @Test
    void initialStepIsTwiceTheMeanAbsoluteValueOverRootQp() {
        SplittableRandom rng = new SplittableRandom(91);
        float[] x = QatData.gaussian(rng, 2 * 30, 0.3, 2);
        LsqQuantizer perTensor = new LsqQuantizer(config(INT4, ScaleScope.perTensor()));
        assertFalse(perTensor.isInitialized());
        perTensor.forward(x, Shape.of(2, 30));
        double meanAbs = 0;
        for (float v : x) {
            meanAbs += Math.abs(v);
        }
        meanAbs /= x.length;
        assertEquals(2 * meanAbs / Math.sqrt(7), perTensor.steps()[0], 1e-6);

        LsqQuantizer perRow = new LsqQuantizer(config(INT4, ScaleScope.perChannel(0)));
        perRow.initialize(x, Shape.of(2, 30));
        for (int c = 0; c < 2; c++) {
            double m = 0;
            for (int k = 0; k < 30; k++) {
                m += Math.abs(x[c * 30 + k]);
            }
            assertEquals(2 * (m / 30) / Math.sqrt(7), perRow.steps()[c], 1e-6, "row " + c);
        }
        LsqQuantizer zeros = new LsqQuantizer(config(INT4, ScaleScope.perTensor()));
        zeros.initialize(new float[8], Shape.of(8));
        assertEquals(QParams.MIN_SCALE, zeros.steps()[0]);
    }

    @Test
    void stepStaysUntilTheTrainerChangesIt() {
        SplittableRandom rng = new SplittableRandom(92);
        LsqQuantizer lsq = new LsqQuantizer(config(INT4, ScaleScope.perTensor()));
        lsq.forward(QatData.gaussian(rng, 50, 0, 1), Shape.of(50));
        float[] s = lsq.steps();
        lsq.forward(QatData.gaussian(rng, 50, 0, 10), Shape.of(50));
        assertArrayEquals(s, lsq.steps(), "a second batch must not re-initialise the step");
        lsq.setSteps(new float[] {0.5f});
        assertEquals(new QParams(0.5f, 0, -8, 7), lsq.qparams()[0]);
        assertEquals(1 / Math.sqrt(50.0 * 7), LsqQuantizer.gradScale(50, 7), 1e-15);
    }

    @Test
    void rejectsBadStepsAndUninitialisedUse() {
        LsqQuantizer lsq = new LsqQuantizer(new FakeQuantConfig(INT4, ScaleScope.perChannel(0), true, ObserverKind.NONE, false, QatData.EVEN));
        assertTrue(assertThrows(IllegalStateException.class, () -> lsq.forward(new float[] {1, 2}, Shape.of(2, 1)))
                .getMessage().contains("calibration is off"));
        assertThrows(IllegalStateException.class, lsq::qparams);
        assertThrows(IllegalStateException.class, () -> lsq.backward(new float[] {1, 2}, Shape.of(2, 1), new float[2]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lsq.setSteps(new float[] {0.1f, 0f}))
                .getMessage().contains("step 1"));
        assertThrows(IllegalArgumentException.class, () -> lsq.setSteps(new float[] {Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> lsq.setSteps(new float[0]));
        lsq.setSteps(new float[] {0.1f, 0.2f});
        assertThrows(IllegalArgumentException.class, () -> lsq.setSteps(new float[] {0.1f}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lsq.forward(new float[] {1, 2, 3}, Shape.of(3, 1)))
                .getMessage().contains("3 channels"));
        assertThrows(IllegalArgumentException.class, () -> lsq.forward(new float[] {1, Float.POSITIVE_INFINITY}, Shape.of(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> new LsqQuantizer(FakeQuantConfig.builder().build()));
        assertThrows(IllegalArgumentException.class, () -> LsqQuantizer.gradScale(0, 7));
    }
}
