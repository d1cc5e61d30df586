package io.bitnet4j.gguf;

import io.bitnet4j.quant.TernaryWeight;

/**
 * A ternary tensor read as trits plus scales: element {@code i} means {@code trit(i) · scale(i / scaleBlock())}.
 * TQ1_0/TQ2_0 have a scale per 256 elements, I2_S and Hugging Face's packed BitNet weights one per tensor.
 * Reading the trits rather than their float products lets a conversion between ternary formats keep every trit.
 */
public interface TernarySource extends RowSource {
    /** Elements per scale, counted over the flattened tensor; the whole tensor for one scale. */
    long scaleBlock();

    /** Scale number {@code index}, {@code 0 ≤ index < elements() / scaleBlock()}. */
    float scale(long index);

    /** Writes the trits (−1, 0 or +1) of rows {@code [firstRow, firstRow + count)} to {@code out[0 .. count·rowLength)}. */
    void readTrits(long firstRow, int count, byte[] out);

    /** The number of scales. */
    default long scaleCount() {
        return elements() / scaleBlock();
    }

    /** {@code trit · scale} per element. */
    @Override
    default void readRows(long firstRow, int count, float[] out) {
        int n = Math.toIntExact(count * rowLength());
        byte[] trits = new byte[n];
        readTrits(firstRow, count, trits);
        long first = firstRow * rowLength();
        long block = scaleBlock();
        long current = -1;
        float s = 0f;
        for (int i = 0; i < n; i++) {
            long index = (first + i) / block;
            if (index != current) { // one scale lookup per block, not per element
                current = index;
                s = scale(index);
            }
            out[i] = trits[i] * s;
        }
    }

    /**
     * An in-memory {@link TernaryWeight} as a source: rows are its last dimension, and its granularity's unit (the
     * tensor, a row, a group or a block, always a run of consecutive elements) is the scale block.
     */
    static TernarySource of(String name, TernaryWeight w) {
        long rowLength = w.shape().lastDim();
        long block = w.granularity().unitLength(w.shape());
        float[] scales = w.scales();
        final class WeightRows extends AbstractRows implements TernarySource {
            WeightRows(String tensor, long length, long count) {
                super(tensor, length, count);
            }

            @Override
            public long scaleBlock() {
                return block;
            }

            @Override
            public float scale(long index) {
                return scales[Math.toIntExact(index)];
            }

            @Override
            public void readTrits(long firstRow, int count, byte[] out) {
                int n = checkRead(firstRow, count, out.length);
                int first = Math.toIntExact(firstRow * rowLength);
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) w.trit(first + i);
                }
            }
        }
        return new WeightRows(name, rowLength, w.shape().rows());
    }
}
