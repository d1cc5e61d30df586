package io.bitnet4j.quant.qat;

/**
 * Which elements share one set of quantization parameters: the whole tensor, or each index along one
 * axis (a channel). For a weight {@code [out, in]}, {@code perChannel(0)} gives one scale per output row.
 */
public sealed interface ScaleScope {

    /** One scale and zero point for the whole tensor. */
    record PerTensor() implements ScaleScope {}

    /** One scale and zero point per index of dimension {@code axis}. */
    record PerChannel(int axis) implements ScaleScope {
        public PerChannel {
            if (axis < 0) {
                throw new IllegalArgumentException("channel axis is " + axis + "; must be non-negative");
            }
        }
    }

    static ScaleScope perTensor() {
        return new PerTensor();
    }

    static ScaleScope perChannel(int axis) {
        return new PerChannel(axis);
    }
}
