package io.bitnet4j.quant.qat;

import io.bitnet4j.quant.ste.ClipRange;
import io.bitnet4j.quant.ste.StraightThrough;
import io.bitnet4j.tensor.Shape;

/**
 * Fake quantization with parameters from an observer, as PyTorch's FakeQuantize: forward observes the
 * input (while calibrating) and then quantizes-dequantizes it with the observer's current parameters;
 * backward is the clipped straight-through estimator, passing the gradient of {@code x} only inside the
 * representable range {@code [(qmin − zp)·s, (qmax − zp)·s]} of its channel (bounds included).
 *
 * <p>PyTorch tests the rounded code against {@code [qmin, qmax]}, which also passes values up to half a
 * step beyond the range; testing {@code x} itself is the convention of LSQ and of the clipped STE in
 * {@link io.bitnet4j.quant.ste}, and is what we use.
 */
public final class ObserverFakeQuantize implements FakeQuantize {
    private final FakeQuantConfig config;
    private final ScopedObserver observer;

    /** {@code config} must not be learnable. */
    public ObserverFakeQuantize(FakeQuantConfig config) {
        if (config == null || config.learnable()) {
            throw new IllegalArgumentException("an observer-driven fake quantizer needs a non-learnable config, got " + config);
        }
        this.config = config;
        this.observer = new ScopedObserver(config.scope(), () -> config.observer().create(config.spec()));
        observer.setCalibrating(config.calibrating());
    }

    @Override
    public FakeQuantConfig config() {
        return config;
    }

    /** The observers behind the parameters, for inspection. */
    public ScopedObserver observer() {
        return observer;
    }

    @Override
    public float[] forward(float[] x, Shape shape) {
        ChannelLayout layout = Channelwise.layout(x, shape, config.scope());
        observer.observe(x, shape);
        return Channelwise.fakeQuantize(x, layout, qparams(), config.rounding());
    }

    @Override
    public QuantGradients backward(float[] x, Shape shape, float[] gradOut) {
        QParams[] params = qparams();
        ChannelLayout layout = Channelwise.backwardLayout(x, shape, gradOut, config.scope(), params);
        ClipRange[] ranges = new ClipRange[params.length];
        for (int c = 0; c < params.length; c++) {
            ranges[c] = params[c].clipRange();
        }
        float[] dx = StraightThrough.clipped(x, gradOut, i -> ranges[layout.channelOf(i)]);
        return new QuantGradients(dx, new float[0]);
    }

    @Override
    public QParams[] qparams() {
        return observer.qparams();
    }

    @Override
    public boolean isCalibrating() {
        return observer.isCalibrating();
    }

    @Override
    public void setCalibrating(boolean calibrating) {
        observer.setCalibrating(calibrating);
    }
}
