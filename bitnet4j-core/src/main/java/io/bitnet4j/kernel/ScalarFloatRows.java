package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;

/** {@link FloatRows} as plain loops, element by element with fused multiply-adds. */
final class ScalarFloatRows implements FloatRows {
    static final ScalarFloatRows INSTANCE = new ScalarFloatRows();

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
        FloatRowDecoders.widenHalves(src, at, dst, dstOffset, n);
    }
}
