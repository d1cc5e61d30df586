package io.bitnet4j.quant.qat;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.util.Arrays;

/**
 * Learned Step Size Quantization (LSQ; Esser et al., ICLR 2020, arXiv:1902.08153): the step {@code s}
 * (one per tensor or per channel) is a trained parameter.
 *
 * <p>With {@code Qn = −qmin} and {@code Qp = qmax} of the spec, and {@code v = x/s}:
 * <ul>
 *   <li>forward {@code x̂ = round(clamp(v, −Qn, Qp))·s} (the zero point is 0);</li>
 *   <li>{@code dL/dx = g} for {@code −Qn ≤ v ≤ Qp}, else 0 (clipped straight-through);</li>
 *   <li>{@code dL/ds = G·Σ g·d}, with {@code d = round(v) − v} inside, {@code −Qn} below and {@code Qp} above, summed
 *       over the elements of the channel, and gradient scale {@code G = 1/sqrt(N·Qp)} where {@code N} is the
 *       number of elements sharing the step (the paper's balancing of the step's update against the
 *       weights');</li>
 *   <li>initial step {@code s = 2·mean|x|/sqrt(Qp)} from the first batch (per channel), at least
 *       {@link QParams#MIN_SCALE}.</li>
 * </ul>
 * The step is initialised by the first {@link #forward} while calibrating, by {@link #initialize}, or set
 * with {@link #setSteps}; after that calibration has no effect: only the trainer changes the step.
 */
public final class LsqQuantizer implements FakeQuantize {
    private final FakeQuantConfig config;
    private final int qmin;
    private final int qmax;
    private float[] steps;
    private boolean calibrating;

    /** {@code config} must be learnable. */
    public LsqQuantizer(FakeQuantConfig config) {
        if (config == null || !config.learnable()) {
            throw new IllegalArgumentException("an LSQ quantizer needs a learnable config, got " + config);
        }
        this.config = config;
        this.qmin = config.spec().qmin();
        this.qmax = config.spec().qmax();
        this.calibrating = config.calibrating();
    }

    /** LSQ's gradient scale {@code 1/sqrt(N·Qp)} for {@code N} elements per step. */
    public static double gradScale(int elementsPerStep, int qp) {
        if (elementsPerStep <= 0 || qp <= 0) {
            throw new IllegalArgumentException("gradient scale needs positive N and Qp, got N=" + elementsPerStep + ", Qp=" + qp);
        }
        return 1.0 / Math.sqrt((double) elementsPerStep * qp);
    }

    @Override
    public FakeQuantConfig config() {
        return config;
    }

    public boolean isInitialized() {
        return steps != null;
    }

    /** Sets each step to {@code 2·mean|x|/sqrt(Qp)} over its channel of {@code x}. */
    public void initialize(float[] x, Shape shape) {
        ChannelLayout layout = Channelwise.layout(x, shape, config.scope());
        double[] sumAbs = new double[layout.channels()];
        for (int i = 0; i < x.length; i++) {
            sumAbs[layout.channelOf(i)] += Math.abs(x[i]);
        }
        float[] s = new float[sumAbs.length];
        for (int c = 0; c < s.length; c++) {
            double meanAbs = sumAbs[c] / layout.elementsPerChannel();
            s[c] = (float) Math.max(2 * meanAbs / Math.sqrt(qmax), QParams.MIN_SCALE);
        }
        steps = s;
    }

    /** A copy of the steps, one per channel; throws before initialisation. */
    public float[] steps() {
        return requireSteps().clone();
    }

    /** Replaces the steps (each positive and finite); once initialised, the count must stay the same. */
    public void setSteps(float[] newSteps) {
        Checks.requireNonEmpty(newSteps, "LSQ steps");
        for (int c = 0; c < newSteps.length; c++) {
            if (!(newSteps[c] > 0) || !Float.isFinite(newSteps[c])) {
                throw new IllegalArgumentException("LSQ step " + c + " is " + newSteps[c] + "; must be positive and finite");
            }
        }
        if (steps != null && steps.length != newSteps.length) {
            throw new IllegalArgumentException("got " + newSteps.length + " LSQ steps for " + steps.length + " channels");
        }
        steps = newSteps.clone();
    }

    @Override
    public float[] forward(float[] x, Shape shape) {
        ChannelLayout layout = Channelwise.layout(x, shape, config.scope());
        if (steps == null) {
            if (!calibrating) {
                throw new IllegalStateException("LSQ step is not initialised and calibration is off; call initialize or setSteps");
            }
            initialize(x, shape);
        }
        return Channelwise.fakeQuantize(x, layout, qparams(), config.rounding());
    }

    @Override
    public QuantGradients backward(float[] x, Shape shape, float[] gradOut) {
        ChannelLayout layout = Channelwise.backwardLayout(x, shape, gradOut, config.scope(), qparams());
        float[] s = requireSteps();
        float[] dx = new float[x.length];
        double[] ds = new double[s.length];
        for (int i = 0; i < x.length; i++) {
            int c = layout.channelOf(i);
            double v = x[i] / (double) s[c];
            double dq;
            if (v < qmin) {
                dq = qmin;
            } else if (v > qmax) {
                dq = qmax;
            } else {
                dq = config.rounding().round((float) v) - v;
                dx[i] = gradOut[i];
            }
            ds[c] += gradOut[i] * dq;
        }
        double g = gradScale(layout.elementsPerChannel(), qmax);
        float[] stepGrad = new float[s.length];
        for (int c = 0; c < s.length; c++) {
            stepGrad[c] = (float) (ds[c] * g);
        }
        return new QuantGradients(dx, stepGrad);
    }

    @Override
    public QParams[] qparams() {
        float[] s = requireSteps();
        QParams[] params = new QParams[s.length];
        for (int c = 0; c < s.length; c++) {
            params[c] = new QParams(s[c], 0, qmin, qmax);
        }
        return params;
    }

    @Override
    public boolean isCalibrating() {
        return calibrating;
    }

    @Override
    public void setCalibrating(boolean calibrating) {
        this.calibrating = calibrating;
    }

    @Override
    public String toString() {
        return "LsqQuantizer" + (steps == null ? "[uninitialised]" : Arrays.toString(steps)) + " " + config;
    }

    private float[] requireSteps() {
        if (steps == null) {
            throw new IllegalStateException("LSQ step is not initialised yet");
        }
        return steps;
    }
}
