package io.bitnet4j.quant.qat;

import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;

/** The per-channel plumbing shared by the fake quantizers: argument checks and the element loop. */
final class Channelwise {
    private Channelwise() {}

    /** Checks that {@code x} is non-empty, finite and of {@code shape}; returns its channel layout under {@code scope}. */
    static ChannelLayout layout(float[] x, Shape shape, ScaleScope scope) {
        Checks.requireNonEmpty(x, "fake-quant input");
        if (shape == null) {
            throw new IllegalArgumentException("shape of the fake-quant input is null");
        }
        shape.requireLength(x.length, "fake-quant input");
        Checks.requireFinite(x, "fake-quant input");
        return ChannelLayout.of(scope, shape);
    }

    /** Checks the upstream gradient against the input length. */
    static void gradient(float[] gradOut, int length) {
        Checks.requireNonEmpty(gradOut, "upstream gradient");
        if (gradOut.length != length) {
            throw new IllegalArgumentException("upstream gradient has " + gradOut.length + " elements but the input has " + length);
        }
        Checks.requireFinite(gradOut, "upstream gradient");
    }

    /**
     * The checks of a backward pass: {@code x} as in {@link #layout}, the gradient's length, and one set of
     * parameters per channel. Returns the layout.
     */
    static ChannelLayout backwardLayout(float[] x, Shape shape, float[] gradOut, ScaleScope scope, QParams[] params) {
        ChannelLayout layout = layout(x, shape, scope);
        gradient(gradOut, x.length);
        channels(params, layout);
        return layout;
    }

    /** Checks that parameters exist for every channel of {@code layout}. */
    static void channels(QParams[] params, ChannelLayout layout) {
        if (params.length != layout.channels()) {
            throw new IllegalArgumentException("the input has " + layout.channels()
                    + " channels but the quantizer has parameters for " + params.length);
        }
    }

    /** {@code params[channelOf(i)].fakeQuantize(x[i])} for every element. */
    static float[] fakeQuantize(float[] x, ChannelLayout layout, QParams[] params, Rounding rounding) {
        channels(params, layout);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = params[layout.channelOf(i)].fakeQuantize(x[i], rounding);
        }
        return y;
    }
}
