package io.bitnet4j.gguf;

import io.bitnet4j.format.TernaryBlockFormat;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * The codec of a type whose rows are whole blocks with no per-tensor part: the float types, the Q types and
 * TQ1_0/TQ2_0. A row is {@code rowLength / blockSize} blocks, so any run of rows is a byte range of the tensor
 * and each chunk decodes or encodes on its own.
 */
final class BlockCodec implements TensorCodec {
    /** Decodes {@code n} elements from exactly their bytes (a format's whole-array decoder). */
    @FunctionalInterface
    interface Decoder {
        float[] decode(byte[] data, int n);
    }

    /** Encodes elements to their bytes (a format's whole-array encoder). */
    @FunctionalInterface
    interface Encoder {
        byte[] encode(float[] x);
    }

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GgmlType type;
    private final Decoder decoder;
    private final Encoder encoder;
    private final float encodeLimit;
    private final TernaryBlockFormat ternary;

    /**
     * @param encoder     null for a decode-only type
     * @param encodeLimit magnitudes from this value up are rejected before encoding (they would become infinities)
     * @param ternary     the TQ format, or null for a non-ternary type
     */
    BlockCodec(GgmlType type, Decoder decoder, Encoder encoder, float encodeLimit, TernaryBlockFormat ternary) {
        this.type = type;
        this.decoder = decoder;
        this.encoder = encoder;
        this.encodeLimit = encodeLimit;
        this.ternary = ternary;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public boolean canEncode() {
        return encoder != null;
    }

    @Override
    public boolean isTernary() {
        return ternary != null;
    }

    @Override
    public boolean acceptsRowLength(long rowLength) {
        return rowLength > 0 && rowLength % type.blockSize() == 0;
    }

    @Override
    public RowSource rows(String name, long[] dims, MemorySegment data) {
        long n = Dims.elements(name, dims);
        if (!acceptsRowLength(dims[0])) {
            throw new IllegalArgumentException("tensor '" + name + "': row length " + dims[0] + " is not a multiple of "
                    + type + "'s block size " + type.blockSize());
        }
        Streaming.requireSize(name, type, dims, n, data);
        return ternary != null ? new TernaryRows(name, dims[0], n / dims[0], data) : new Rows(name, dims[0], n / dims[0], data);
    }

    @Override
    public void encode(RowSource source, WritableByteChannel out) throws IOException {
        if (encoder == null) {
            throw new IllegalArgumentException("cannot write tensor '" + source.name() + "' as " + type + ": it is read-only here");
        }
        requireRowLength(source);
        long rowLength = source.rowLength();
        Streaming.mapChunks(source.rows(), rowLength, 1, (first, count) -> {
            float[] x = new float[Math.toIntExact(count * rowLength)];
            source.readRows(first, count, x);
            Streaming.requireEncodable(source, first, x, encodeLimit, type.name());
            return encoder.encode(x);
        }, bytes -> Streaming.write(out, bytes, 0, bytes.length));
    }

    @Override
    public double encodeTernary(TernarySource source, WritableByteChannel out) throws IOException {
        if (ternary == null) {
            throw new IllegalArgumentException(type + " is not a ternary type; cannot write tensor '" + source.name() + "' as trits");
        }
        requireRowLength(source);
        int bs = TernaryBlockFormat.BLOCK_SIZE;
        TernaryScales.ScaleError error = new TernaryScales.ScaleError();
        Streaming.mapChunks(source.rows(), source.rowLength(), 1, (first, count) -> {
            byte[] trits = new byte[Math.toIntExact(count * source.rowLength())];
            source.readTrits(first, count, trits);
            short[] bits = new short[trits.length / bs];
            long firstElement = first * source.rowLength();
            TernaryScales.ScaleError chunkError = new TernaryScales.ScaleError();
            for (int b = 0; b < bits.length; b++) {
                float s = blockScale(source, firstElement + (long) b * bs);
                bits[b] = TernaryScales.normalizeBlock(trits, b * bs, bs, s, chunkError, source.name());
            }
            return new Encoded(ternary.pack(trits, bits), chunkError);
        }, encoded -> {
            error.add(encoded.error());
            Streaming.write(out, encoded.bytes(), 0, encoded.bytes().length);
        });
        return error.relativeRms();
    }

    /** A chunk's bytes and the scale rounding it caused. */
    private record Encoded(byte[] bytes, TernaryScales.ScaleError error) {}

    /** The source's scale for the 256 elements from {@code element}; throws if they do not share one. */
    private static float blockScale(TernarySource source, long element) {
        long first = element / source.scaleBlock();
        long last = (element + TernaryBlockFormat.BLOCK_SIZE - 1) / source.scaleBlock();
        if (first != last) {
            throw new IllegalArgumentException("tensor '" + source.name() + "' has several scales within the 256-element block at element "
                    + element + " (one per " + source.scaleBlock() + "); TQ1_0/TQ2_0 store one per block");
        }
        return source.scale(first);
    }

    private void requireRowLength(RowSource source) {
        if (!acceptsRowLength(source.rowLength())) {
            throw new IllegalArgumentException("tensor '" + source.name() + "': row length " + source.rowLength()
                    + " is not a multiple of " + type + "'s block size " + type.blockSize());
        }
    }

    /** Rows of a stored tensor, decoded chunk by chunk. */
    private class Rows extends AbstractRows {
        final long rowBytes;
        final MemorySegment data;

        Rows(String name, long rowLength, long rows, MemorySegment data) {
            super(name, rowLength, rows);
            this.rowBytes = type.rowBytes(rowLength);
            this.data = data;
        }

        /** The bytes of rows {@code [firstRow, firstRow + count)}, after checking the range. */
        byte[] bytes(long firstRow, int count, int outLength) {
            checkRead(firstRow, count, outLength);
            return Streaming.copy(data, firstRow * rowBytes, Math.toIntExact(count * rowBytes));
        }

        @Override
        public void readRows(long firstRow, int count, float[] out) {
            int n = (int) (count * rowLength);
            float[] values = decoder.decode(bytes(firstRow, count, out.length), n);
            System.arraycopy(values, 0, out, 0, n);
        }
    }

    /** Rows of a stored TQ1_0/TQ2_0 tensor, also readable as trits and block scales. */
    private final class TernaryRows extends Rows implements TernarySource {
        TernaryRows(String name, long rowLength, long rows, MemorySegment data) {
            super(name, rowLength, rows, data);
        }

        @Override
        public long scaleBlock() {
            return TernaryBlockFormat.BLOCK_SIZE;
        }

        @Override
        public float scale(long index) {
            if (index < 0 || index >= scaleCount()) {
                throw new IllegalArgumentException("tensor '" + name + "' has no block " + index);
            }
            return Float.float16ToFloat(data.get(HALF, index * ternary.blockBytes() + ternary.scaleOffset()));
        }

        @Override
        public void readTrits(long firstRow, int count, byte[] out) {
            int n = (int) (count * rowLength);
            byte[] trits = ternary.unpackTrits(bytes(firstRow, count, out.length), n);
            System.arraycopy(trits, 0, out, 0, n);
        }

        @Override
        public void readRows(long firstRow, int count, float[] out) {
            super.readRows(firstRow, count, out); // the format's own dequantizer, as ggml computes it
        }
    }
}
