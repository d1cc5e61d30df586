package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What every scalar kernel keeps: the tensor's identity, its geometry, its (mapped) bytes and the activation
 * form its reference implementation multiplies (the only one it accepts unless it says otherwise).
 */
abstract class StoredMatrix implements WeightMatrix {
    final String name;
    final GgmlType type;
    final int rows;
    final int cols;
    final MemorySegment data;
    private final ActivationType activation;

    StoredMatrix(String name, GgmlType type, int rows, int cols, MemorySegment data, ActivationType activation) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.data = Objects.requireNonNull(data, "data");
        this.activation = Objects.requireNonNull(activation, "activation");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("tensor '" + name + "': " + rows + " × " + cols + " is not a matrix");
        }
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final ActivationType activationType() {
        return activation;
    }

    @Override
    public boolean accepts(ActivationType t) {
        return t == activation;
    }

    /** Throws unless {@code in} has rows of this matrix's width and {@code out} holds every output. */
    final void checkShapes(Activations in, int rowFrom, int rowTo, float[] out, int outOffset) {
        if (in.cols() != cols) {
            throw new IllegalArgumentException("tensor '" + name + "' has rows of " + cols + " but the activations have " + in.cols());
        }
        if (rowFrom < 0 || rowTo > rows || rowFrom > rowTo) {
            throw new IllegalArgumentException("tensor '" + name + "': output rows " + rowFrom + ".." + rowTo + " outside 0.." + rows);
        }
        if (outOffset < 0 || (long) outOffset + (long) in.rows() * rows > out.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + in.rows() + " × " + rows + " outputs at offset "
                    + outOffset + " do not fit an array of " + out.length);
        }
    }

    final void checkRow(int row, float[] dst, int dstOffset) {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + rows + " rows; row " + row + " does not exist");
        }
        if (dstOffset < 0 || (long) dstOffset + cols > dst.length) {
            throw new IllegalArgumentException("row of " + cols + " at offset " + dstOffset + " does not fit an array of " + dst.length);
        }
    }

    @Override
    public String toString() {
        return name + " " + type + " [" + rows + ", " + cols + "]";
    }
}
