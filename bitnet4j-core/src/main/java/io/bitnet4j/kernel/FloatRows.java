package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;

/**
 * Dot products and scaled sums of float rows in a kernel's own fixed order: the attention of
 * {@code Numerics.FAST} (Q·K and P·V over the KV cache, a few hundred thousand short rows per layer of a
 * prompt); and the exact widening of the F16 KV cache's halves, for every numerics. The peers' orders are
 * emulated elsewhere ({@link Summation}); here the order is only fixed, so that the same rows give the same sums
 * wherever and whenever they are computed.
 */
public interface FloatRows {
    /** {@code Σ a[aOff + i]·b[bOff + i]} for {@code i < n}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code acc[accOff + i] += p·x[xOff + i]} for {@code i < n} (one rounding per element: fused). */
    void addScaled(float p, float[] x, int xOff, float[] acc, int accOff, int n);

    /**
     * {@code dst[dstOffset + i] = Float.float16ToFloat(half i)} for the {@code n} little-endian halves at byte
     * {@code at} of {@code src}: exactly that conversion in every implementation.
     */
    void widenHalves(MemorySegment src, long at, float[] dst, int dstOffset, int n);

    /**
     * The vectorized rows when the matrix kernels are vectorized ({@link MatrixKernels#defaults()}: the
     * {@code jdk.incubator.vector} module present, a wide enough CPU, not {@code -Dbitnet4j.kernels=scalar}),
     * else the scalar ones.
     */
    static FloatRows defaults() {
        String choice = System.getProperty(MatrixKernels.PROPERTY, "vector").trim();
        if (choice.equalsIgnoreCase("scalar")) {
            return ScalarFloatRows.INSTANCE;
        }
        try {
            return VectorWidth.BITS == 0 ? ScalarFloatRows.INSTANCE : VectorFloatRows.INSTANCE;
        } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
            return ScalarFloatRows.INSTANCE; // no Vector API module
        }
    }

    /** The plain loops: fused multiply-adds from the first element to the last. */
    static FloatRows scalar() {
        return ScalarFloatRows.INSTANCE;
    }
}
