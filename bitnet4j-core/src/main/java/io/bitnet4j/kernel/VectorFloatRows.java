package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * {@link FloatRows} at the width of {@link VectorWidth}: whole vectors with fused multiply-adds, two independent
 * sums, the lanes added in {@link LaneSums} order, then the tail element by element. The lane buffer is per
 * thread, so one instance serves every worker.
 */
final class VectorFloatRows implements FloatRows {
    static final VectorFloatRows INSTANCE = new VectorFloatRows();

    private static final int L = FLOATS.length();
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private VectorFloatRows() {}

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int whole = n - n % L;
        int pairs = whole - whole % (2 * L);
        FloatVector s0 = FloatVector.zero(FLOATS);
        FloatVector s1 = s0;
        for (int i = 0; i < pairs; i += 2 * L) {
            s0 = FloatVector.fromArray(FLOATS, a, aOff + i).fma(FloatVector.fromArray(FLOATS, b, bOff + i), s0);
            s1 = FloatVector.fromArray(FLOATS, a, aOff + i + L).fma(FloatVector.fromArray(FLOATS, b, bOff + i + L), s1);
        }
        if (pairs < whole) {
            s0 = FloatVector.fromArray(FLOATS, a, aOff + pairs).fma(FloatVector.fromArray(FLOATS, b, bOff + pairs), s0);
        }
        float[] lanes = LANES.get();
        s0.add(s1).intoArray(lanes, 0);
        float s = LaneSums.tree(lanes, 0, L);
        for (int i = whole; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    @Override
    public void addScaled(float p, float[] x, int xOff, float[] acc, int accOff, int n) {
        int whole = n - n % L;
        FloatVector pv = FloatVector.broadcast(FLOATS, p);
        for (int i = 0; i < whole; i += L) {
            FloatVector.fromArray(FLOATS, x, xOff + i).fma(pv, FloatVector.fromArray(FLOATS, acc, accOff + i))
                    .intoArray(acc, accOff + i);
        }
        for (int i = whole; i < n; i++) {
            acc[accOff + i] = Math.fma(p, x[xOff + i], acc[accOff + i]);
        }
    }

    @Override
    public void widenHalves(MemorySegment src, long at, float[] dst, int dstOffset, int n) {
        F16VectorMatrix.widen(src, at, dst, dstOffset, n);
    }
}
