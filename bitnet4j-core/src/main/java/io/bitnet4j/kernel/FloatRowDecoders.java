package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Row decoders for the plain float storage types: F32 (copied), F16 and BF16 (widened exactly). */
public final class FloatRowDecoders {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** float32 little-endian. */
    public static final RowDecoder F32 = (data, row, cols, dst, off) ->
            MemorySegment.copy(data, F32_LE, row * cols * Float.BYTES, dst, off, cols);

    /** IEEE half precision little-endian. */
    public static final RowDecoder F16 = (data, row, cols, dst, off) -> widenHalves(data, row * cols * 2, dst, off, cols);

    /** bfloat16 little-endian. */
    public static final RowDecoder BF16 = (data, row, cols, dst, off) -> {
        long at = row * cols * 2;
        for (int c = 0; c < cols; c++) {
            dst[off + c] = Bfloat16.toFloat(data.get(I16_LE, at + 2L * c));
        }
    };

    private FloatRowDecoders() {}

    /** {@code dst[dstOffset + i] = Float.float16ToFloat(half i)} for the {@code n} little-endian halves at byte {@code at}. */
    static void widenHalves(MemorySegment src, long at, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(src.get(I16_LE, at + 2L * i));
        }
    }
}
