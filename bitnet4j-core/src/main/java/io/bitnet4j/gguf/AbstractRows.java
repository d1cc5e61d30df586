package io.bitnet4j.gguf;

/** The name and geometry every {@link RowSource} here carries, and the range checks of its reads. */
abstract class AbstractRows implements RowSource {
    final String name;
    final long rowLength;
    final long rows;

    AbstractRows(String name, long rowLength, long rows) {
        this.name = name;
        this.rowLength = rowLength;
        this.rows = rows;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long rowLength() {
        return rowLength;
    }

    @Override
    public final long rows() {
        return rows;
    }

    /** Checks that rows {@code [firstRow, firstRow + count)} exist and fit an output of {@code outLength}; returns the element count. */
    final int checkRead(long firstRow, int count, int outLength) {
        Streaming.requireRows(name, rows, firstRow, count);
        return Streaming.requireOut(name, outLength, count * rowLength);
    }
}
