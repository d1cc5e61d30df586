package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** {@link FloatRows} as plain loops, element by element with fused multiply-adds. */
final class ScalarFloatRows implements FloatRows {
    static final ScalarFloatRows INSTANCE = new ScalarFloatRows();
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarFloatRows() {}

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    @Override
    public void addScaled(float p, float[] x, int xOff, float[] acc, int accOff, int n) {
        for (int i = 0; i < n; i++) {
            acc[accOff + i] = Math.fma(p, x[xOff + i], acc[accOff + i]);
        }
    }

    @Override
    public void widenHalves(MemorySegment src, long at, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(src.get(HALF, at + 2L * i));
        }
    }
}
