package io.bitnet4j.quant;

import io.bitnet4j.tensor.Shape;

/**
 * Which weights share one quantization scale.
 *
 * <ul>
 *   <li>{@link PerTensor}: one scale for the whole tensor, as in the BitNet b1.58 paper and bitnet.cpp's I2_S.</li>
 *   <li>{@link PerRow}: one scale per output row (the last dimension is the row).</li>
 *   <li>{@link PerGroup}: one scale per run of {@code size} weights along each row (the input axis), as bitnet-quantize.</li>
 *   <li>{@link PerBlock}: one scale per run of {@code size} weights over the flattened tensor, ignoring rows, as
 *       PT-BitNet; llama.cpp's TQ1_0/TQ2_0 are blocks of 256 (rows there are multiples of 256, so blocks never straddle).</li>
 * </ul>
 */
public sealed interface Granularity {

    /** How many scales a tensor of this shape needs; throws if the shape does not divide into groups or blocks. */
    int scaleCount(Shape shape);

    /** The index of the scale that applies to flat element {@code i} of a tensor of this shape. */
    int scaleIndex(Shape shape, int i);

    /**
     * The length of one unit as a run of consecutive elements of the flattened tensor: the whole
     * tensor, a row, a group or a block. Every granularity is such a run, so the unit of flat element
     * {@code i} is {@code i / unitLength}; kernels use this to walk a row unit by unit instead of
     * asking {@link #scaleIndex} per element. Throws like {@link #scaleCount} if the shape does not divide.
     */
    default int unitLength(Shape shape) {
        scaleCount(shape);
        return switch (this) {
            case PerTensor t -> shape.size();
            case PerRow r -> shape.lastDim();
            case PerGroup g -> g.size();
            case PerBlock b -> b.size();
        };
    }

    record PerTensor() implements Granularity {
        @Override
        public int scaleCount(Shape shape) {
            return 1;
        }

        @Override
        public int scaleIndex(Shape shape, int i) {
            return 0;
        }
    }

    record PerRow() implements Granularity {
        @Override
        public int scaleCount(Shape shape) {
            return shape.rows();
        }

        @Override
        public int scaleIndex(Shape shape, int i) {
            return i / shape.lastDim();
        }
    }

    record PerGroup(int size) implements Granularity {
        public PerGroup {
            if (size <= 0) {
                throw new IllegalArgumentException("group size is " + size + "; must be positive");
            }
        }

        @Override
        public int scaleCount(Shape shape) {
            if (shape.lastDim() % size != 0) {
                throw new IllegalArgumentException(
                        "row length " + shape.lastDim() + " of shape " + shape + " is not a multiple of the group size " + size);
            }
            return shape.size() / size;
        }

        @Override
        public int scaleIndex(Shape shape, int i) {
            return i / size; // rows are whole multiples of size, so flat groups never straddle rows
        }
    }

    record PerBlock(int size) implements Granularity {
        public PerBlock {
            if (size <= 0) {
                throw new IllegalArgumentException("block size is " + size + "; must be positive");
            }
        }

        @Override
        public int scaleCount(Shape shape) {
            if (shape.size() % size != 0) {
                throw new IllegalArgumentException(
                        "element count " + shape.size() + " of shape " + shape + " is not a multiple of the block size " + size);
            }
            return shape.size() / size;
        }

        @Override
        public int scaleIndex(Shape shape, int i) {
            return i / size;
        }
    }

    static Granularity perTensor() {
        return new PerTensor();
    }

    static Granularity perRow() {
        return new PerRow();
    }

    static Granularity perGroup(int size) {
        return new PerGroup(size);
    }

    static Granularity perBlock(int size) {
        return new PerBlock(size);
    }
}
