package io.bitnet4j.gguf;

/**
 * A tensor read as rows of floats, a few rows at a time, so that a multi-gigabyte tensor never needs one
 * array. Rows follow ggml's order: a tensor with dims {@code {ne0, ne1, ne2}} has {@code ne1·ne2} rows of
 * {@code ne0} elements. A source may be read any number of times (encoders that need a tensor-wide
 * statistic, such as I2_S's scale, read it twice) and from several threads at once (the codecs encode chunks in
 * parallel), so a read must not change shared state.
 */
public interface RowSource {
    /** The tensor name, for messages. */
    String name();

    /** Elements per row (ggml {@code ne[0]}). */
    long rowLength();

    /** The number of rows: the element count divided by {@link #rowLength()}. */
    long rows();

    /** Writes rows {@code [firstRow, firstRow + count)} to {@code out[0 .. count·rowLength)}. */
    void readRows(long firstRow, int count, float[] out);

    /** The element count. */
    default long elements() {
        return Math.multiplyExact(rowLength(), rows());
    }

    /** Rows of {@code rowLength} elements held in {@code values} (not copied). */
    static RowSource of(String name, long rowLength, float[] values) {
        if (rowLength <= 0 || values.length == 0 || values.length % rowLength != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': " + values.length + " values do not form rows of " + rowLength);
        }
        return new AbstractRows(name, rowLength, values.length / rowLength) {
            @Override
            public void readRows(long firstRow, int count, float[] out) {
                System.arraycopy(values, Math.toIntExact(firstRow * rowLength), out, 0, checkRead(firstRow, count, out.length));
            }
        };
    }
}
