package io.bitnet4j.gguf;

import io.bitnet4j.format.I2_S;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * The codec of bitnet.cpp's I2_S: codes in runs of 128 elements that may cross rows, and one float32 scale in the
 * tensor's 32-byte tail. Reading a row range therefore decodes the whole runs around it; writing from floats takes
 * two passes, the first for the scale ({@code max|w|}, as bitnet.cpp's {@code quantize_i2_s}).
 */
final class I2sCodec implements TensorCodec {
    static final I2sCodec INSTANCE = new I2sCodec();

    private static final int RUN = I2_S.BLOCK_SIZE;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private I2sCodec() {}

    @Override
    public GgmlType type() {
        return GgmlType.I2_S;
    }

    @Override
    public boolean canEncode() {
        return true;
    }

    @Override
    public boolean isTernary() {
        return true;
    }

    @Override
    public boolean acceptsRowLength(long rowLength) {
        return rowLength > 0 && rowLength % RUN == 0;
    }

    @Override
    public RowSource rows(String name, long[] dims, MemorySegment data) {
        long n = Dims.elements(name, dims);
        if (n % RUN != 0 || dims[0] % GgmlType.I2_S.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' (I2_S " + java.util.Arrays.toString(dims) + "): " + n
                    + " elements in rows of " + dims[0] + "; I2_S needs a multiple of " + RUN + " elements in rows of a multiple of 4");
        }
        Streaming.requireSize(name, GgmlType.I2_S, dims, n, data);
        float scale = data.get(FLOAT, n / 4);
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("tensor '" + name + "': its I2_S scale is " + scale + "; it must be finite");
        }
        return new Stored(name, dims[0], n / dims[0], data, scale);
    }

    @Override
    public void encode(RowSource source, WritableByteChannel out) throws IOException {
        requireRowLength(source);
        float[] max = {0f};
        Streaming.mapChunks(source.rows(), source.rowLength(), RUN, (first, count) -> {
            float[] x = read(source, first, count);
            Streaming.requireEncodable(source, first, x, Float.POSITIVE_INFINITY, "I2_S");
            float m = 0f;
            for (float v : x) {
                m = Math.max(m, Math.abs(v));
            }
            return m;
        }, m -> max[0] = Math.max(max[0], m));
        Streaming.mapChunks(source.rows(), source.rowLength(), RUN, (first, count) -> codes(I2_S.signTrits(read(source, first, count)), max[0]),
                codes -> Streaming.write(out, codes, 0, codes.length));
        writeTail(out, max[0]);
    }

    @Override
    public double encodeTernary(TernarySource source, WritableByteChannel out) throws IOException {
        requireRowLength(source);
        TernaryScales.ScaleError error = new TernaryScales.ScaleError();
        float scale = TernaryScales.unify(source, error);
        Streaming.mapChunks(source.rows(), source.rowLength(), RUN, (first, count) -> {
            byte[] trits = new byte[Math.toIntExact(count * source.rowLength())];
            source.readTrits(first, count, trits);
            TernaryScales.forEachScaleRun(source, first * source.rowLength(), trits.length,
                    (from, to, s) -> TernaryScales.flipOrZero(trits, from, to - from, s));
            return codes(trits, scale);
        }, codes -> Streaming.write(out, codes, 0, codes.length));
        writeTail(out, scale);
        return error.relativeRms();
    }

    private static float[] read(RowSource source, long first, int count) {
        float[] x = new float[Math.toIntExact(count * source.rowLength())];
        source.readRows(first, count, x);
        return x;
    }

    /** The code bytes of {@code trits} (a multiple of 128 of them), without the tail. */
    private static byte[] codes(byte[] trits, float scale) {
        return java.util.Arrays.copyOf(I2_S.pack(trits, scale), I2_S.dataBytes(trits.length));
    }

    /** The tail: the scale, then 28 zero bytes (bitnet.cpp leaves them unwritten; we write zeros). */
    private static void writeTail(WritableByteChannel out, float scale) throws IOException {
        byte[] tail = new byte[I2_S.TAIL_BYTES];
        MemorySegment.ofArray(tail).set(FLOAT, 0, scale);
        Streaming.write(out, tail, 0, tail.length);
    }

    private void requireRowLength(RowSource source) {
        if (!acceptsRowLength(source.rowLength())) {
            throw new IllegalArgumentException("tensor '" + source.name() + "': row length " + source.rowLength()
                    + " is not a multiple of " + RUN + ", which bitnet.cpp's I2_S kernels need");
        }
    }

    /** A stored I2_S tensor: rows decode the 128-element runs around them. */
    private static final class Stored extends AbstractRows implements TernarySource {
        private final MemorySegment data;
        private final float scale;

        Stored(String name, long rowLength, long rows, MemorySegment data, float scale) {
            super(name, rowLength, rows);
            this.data = data;
            this.scale = scale;
        }

        @Override
        public long scaleBlock() {
            return elements();
        }

        @Override
        public float scale(long index) {
            if (index != 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has one scale; there is no scale " + index);
            }
            return scale;
        }

        @Override
        public void readTrits(long firstRow, int count, byte[] out) {
            int n = checkRead(firstRow, count, out.length);
            long first = firstRow * rowLength;
            long runStart = first - first % RUN;
            int span = Math.toIntExact(((first + n + RUN - 1) / RUN) * RUN - runStart);
            byte[] chunk = new byte[span / 4 + I2_S.TAIL_BYTES]; // the runs, then a tail so that I2_S reads them as a tensor
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, runStart / 4, chunk, 0, span / 4);
            MemorySegment.ofArray(chunk).set(FLOAT, span / 4, scale);
            byte[] trits = I2_S.unpackTrits(chunk, span);
            System.arraycopy(trits, (int) (first - runStart), out, 0, n);
        }
    }
}
