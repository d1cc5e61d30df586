package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TernarySource;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * A tensor whose rows are another's in a different order: row {@code r} is the inner tensor's row
 * {@code sourceRow(r)}. Converting a Hugging Face Llama checkpoint needs it, because llama.cpp's {@code llama}
 * architecture rotates adjacent pairs where Hugging Face rotates halves ({@link #ropeHalvesToPairs}).
 */
final class PermutedTensor implements SourceTensor {
    private final SourceTensor inner;
    private final LongUnaryOperator sourceRow;

    PermutedTensor(SourceTensor inner, LongUnaryOperator sourceRow) {
        this.inner = inner;
        this.sourceRow = sourceRow;
    }

    /**
     * The row order that turns a Q or K projection of {@code heads} heads from rotate-half RoPE (Hugging Face) to
     * adjacent-pair RoPE (llama.cpp's {@code llama}): within each head of {@code headDim} rows, row {@code 2i + j} comes
     * from row {@code j·headDim/2 + i}.
     */
    static LongUnaryOperator ropeHalvesToPairs(long headDim) {
        long half = headDim / 2;
        return r -> {
            long head = r / headDim;
            long within = r % headDim;
            return head * headDim + (within % 2) * half + within / 2;
        };
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long[] dims() {
        return inner.dims();
    }

    @Override
    public Optional<GgmlType> storedType() {
        return Optional.empty();
    }

    @Override
    public Optional<MemorySegment> raw() {
        return Optional.empty();
    }

    @Override
    public RowSource rows() {
        Optional<TernarySource> t = ternary();
        return t.isPresent() ? t.get() : new Rows(inner.rows());
    }

    @Override
    public Optional<TernarySource> ternary() {
        return inner.ternary().map(Trits::new);
    }

    @Override
    public void release() {
        inner.release();
    }

    /** Float rows read one source row at a time. */
    private class Rows implements RowSource {
        final RowSource source;

        Rows(RowSource source) {
            this.source = source;
        }

        @Override
        public String name() {
            return source.name();
        }

        @Override
        public long rowLength() {
            return source.rowLength();
        }

        @Override
        public long rows() {
            return source.rows();
        }

        @Override
        public void readRows(long firstRow, int count, float[] out) {
            float[] row = new float[Math.toIntExact(rowLength())];
            for (int r = 0; r < count; r++) {
                source.readRows(sourceRow.applyAsLong(firstRow + r), 1, row);
                System.arraycopy(row, 0, out, r * row.length, row.length);
            }
        }
    }

    /** Trit rows read one source row at a time; a scale index follows its first element to the source. */
    private final class Trits extends Rows implements TernarySource {
        final TernarySource trits;

        Trits(TernarySource trits) {
            super(trits);
            this.trits = trits;
        }

        @Override
        public long scaleBlock() {
            return trits.scaleBlock();
        }

        @Override
        public float scale(long index) {
            long element = index * scaleBlock();
            long row = element / rowLength();
            return trits.scale((sourceRow.applyAsLong(row) * rowLength() + element % rowLength()) / scaleBlock());
        }

        @Override
        public void readTrits(long firstRow, int count, byte[] out) {
            byte[] row = new byte[Math.toIntExact(rowLength())];
            for (int r = 0; r < count; r++) {
                trits.readTrits(sourceRow.applyAsLong(firstRow + r), 1, row);
                System.arraycopy(row, 0, out, r * row.length, row.length);
            }
        }

        @Override
        public void readRows(long firstRow, int count, float[] out) {
            TernarySource.super.readRows(firstRow, count, out);
        }
    }
}
