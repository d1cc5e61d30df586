package io.bitnet4j.tensor;

import java.util.Arrays;

/**
 * The dimensions of a dense row-major tensor, outermost first: a weight {@code [out, in]} has
 * {@code dim(0) == out} and rows of length {@code dim(1) == in}.
 *
 * <p>Every dimension must be positive and the element count must fit in an {@code int}, because the
 * heap arrays that hold tensors are int-indexed. Both are checked on construction so that a shape
 * read from a file can never make us allocate a negative or overflowing array.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension");
        }
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException(
                        "dimension " + i + " of shape " + Arrays.toString(dims) + " is " + dims[i] + "; must be positive");
            }
            n *= dims[i];
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(dims) + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** A shape of the given dimensions; throws {@link IllegalArgumentException} if any is not positive or the product overflows. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    /** The last dimension: the length of one row in row-major order. */
    public int lastDim() {
        return dims[dims.length - 1];
    }

    /** The number of rows: the product of every dimension but the last. */
    public int rows() {
        return size / lastDim();
    }

    /** Total element count. */
    public int size() {
        return size;
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Throws if {@code data} does not hold exactly {@link #size()} elements. */
    public void requireLength(int length, String what) {
        if (length != size) {
            throw new IllegalArgumentException(what + " has " + length + " elements but shape " + this + " needs " + size);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
