package io.bitnet4j.quant.qat;

import io.bitnet4j.tensor.Shape;

/**
 * How the flat row-major elements of a tensor split into channels. Flat element {@code i} belongs to
 * channel {@code (i / inner) % channels}, where {@code inner} is the product of the dimensions after the
 * channel axis. Per-tensor scope is the special case of one channel with {@code inner = size}.
 *
 * @param channels how many channels (1 per tensor)
 * @param inner consecutive elements that share a channel
 * @param size total element count
 */
public record ChannelLayout(int channels, int inner, int size) {

    public ChannelLayout {
        if (channels <= 0 || inner <= 0 || size <= 0 || size % ((long) channels * inner) != 0) {
            throw new IllegalArgumentException(
                    "inconsistent channel layout: " + channels + " channels of runs of " + inner + " in " + size + " elements");
        }
    }

    /** The layout of {@code shape} under {@code scope}; throws if the channel axis is not a dimension of {@code shape}. */
    public static ChannelLayout of(ScaleScope scope, Shape shape) {
        return switch (scope) {
            case ScaleScope.PerTensor() -> new ChannelLayout(1, shape.size(), shape.size());
            case ScaleScope.PerChannel(int axis) -> {
                if (axis >= shape.rank()) {
                    throw new IllegalArgumentException("channel axis " + axis + " is not a dimension of shape " + shape);
                }
                int inner = 1;
                for (int d = axis + 1; d < shape.rank(); d++) {
                    inner *= shape.dim(d); // cannot overflow: the shape's size fits in an int
                }
                yield new ChannelLayout(shape.dim(axis), inner, shape.size());
            }
        };
    }

    /** The channel of flat element {@code i}. */
    public int channelOf(int i) {
        return (i / inner) % channels;
    }

    /** Elements per channel. */
    public int elementsPerChannel() {
        return size / channels;
    }

    /** The elements of channel {@code c} in flat order (for one channel, {@code x} itself). */
    public float[] gather(float[] x, int c) {
        if (channels == 1) {
            return x;
        }
        float[] out = new float[elementsPerChannel()];
        int n = 0;
        for (int start = c * inner; start < size; start += channels * inner) {
            System.arraycopy(x, start, out, n, inner);
            n += inner;
        }
        return out;
    }
}
