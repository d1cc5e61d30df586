package io.bitnet4j.quant.qat;

import io.bitnet4j.tensor.Shape;

/**
 * A quantize-dequantize step for quantization-aware training, with its backward pass. Two kinds:
 * {@link ObserverFakeQuantize} (parameters from an observer's statistics) and {@link LsqQuantizer}
 * (learned step size). A trainer updates an LSQ step from {@link QuantGradients#step()}:
 * {@code if (fq instanceof LsqQuantizer lsq) ...}.
 *
 * <p>Call {@link #backward} with the same input as the preceding {@link #forward}, before parameters
 * change (the next forward while calibrating, or a step update).
 */
public sealed interface FakeQuantize permits ObserverFakeQuantize, LsqQuantizer {

    /** The fake quantizer {@code config} describes: learnable → {@link LsqQuantizer}, else {@link ObserverFakeQuantize}. */
    static FakeQuantize create(FakeQuantConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("fake-quant config is null");
        }
        return config.learnable() ? new LsqQuantizer(config) : new ObserverFakeQuantize(config);
    }

    FakeQuantConfig config();

    /** {@code dequantize(quantize(x))} for {@code x} of {@code shape}, first updating the parameters from {@code x} while calibrating. */
    float[] forward(float[] x, Shape shape);

    /** The gradients for upstream gradient {@code gradOut}; {@code dL/dx} is the clipped straight-through estimate. */
    QuantGradients backward(float[] x, Shape shape, float[] gradOut);

    /** The current parameters, one per channel (one for per-tensor scope); throws {@link IllegalStateException} before there are any. */
    QParams[] qparams();

    boolean isCalibrating();

    /** On lets the parameters follow the data; off freezes them. */
    void setCalibrating(boolean calibrating);

    /** The integer codes of {@code x} under the current parameters (no observation), for export. */
    default int[] quantize(float[] x, Shape shape) {
        ChannelLayout layout = Channelwise.layout(x, shape, config().scope());
        QParams[] params = qparams();
        Channelwise.channels(params, layout);
        int[] codes = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            codes[i] = params[layout.channelOf(i)].quantize(x[i], config().rounding());
        }
        return codes;
    }

    /**
     * The codes of {@code x} as bytes (8 bits or fewer; unsigned codes read back with {@code & 0xFF}).
     * Each code is clamped as an int before narrowing.
     */
    default byte[] quantizeToBytes(float[] x, Shape shape) {
        QParams[] params = qparams();
        for (QParams p : params) {
            if (!p.fitsInByte()) {
                throw new IllegalArgumentException("codes " + p.qmin() + ".." + p.qmax() + " do not fit in a byte; use quantize()");
            }
        }
        int[] codes = quantize(x, shape);
        byte[] bytes = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            bytes[i] = (byte) codes[i];
        }
        return bytes;
    }
}
