package io.bitnet4j.quant.ste;

/**
 * A quantize-then-dequantize function on a whole tensor: the forward pass of a quantizer as training
 * sees it. A tensor (not a scalar) is the unit because most quantizers derive their scale from the
 * tensor itself (BitNet's absmean weights, absmax activations).
 */
@FunctionalInterface
public interface FakeQuantizer {

    /**
     * Returns a new array of the same length holding {@code dequantize(quantize(x))}; must not modify
     * {@code x}.
     */
    float[] fakeQuantize(float[] x);
}
