package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;

/**
 * The float row work of the forward pass outside the weight products, vectorized where the kernels are: attention
 * under {@code Numerics.FAST} (Q·K and P·V over the KV cache, a few hundred thousand short rows per layer of a prompt,
 * and ggml's expf), the gated feed-forward activations, the int8 quantization of activations (Q8_K, bitnet.cpp's
 * rows) and the exact widening of the F16 KV cache's halves. Sums are in a kernel's own fixed order (the peers'
 * orders are emulated elsewhere, {@link Summation}), so that the same rows give the same sums wherever and whenever
 * they are computed; everything else gives the same floats as the scalar forms it names, to the bit.
 */
public interface FloatRows {
    /** {@code Σ a[aOff + i]·b[bOff + i]} for {@code i < n}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * Attention scores of one query against {@code count} keys: {@code out[outOff + j] = dot(q, qOff, keys,
     * keyOff + j·stride, n) · scale}, each exactly as {@link #dot} sums it; returns the largest score ({@link
     * Math#max}, so a NaN score makes it NaN).
     */
    default float scores(float[] q, int qOff, float[] keys, int keyOff, int stride, int count, int n, float scale, float[] out,
            int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            float s = dot(q, qOff, keys, keyOff + j * stride, n) * scale;
            out[outOff + j] = s;
            max = Math.max(max, s);
        }
        return max;
    }

    /**
     * {@link #scores} with the keys stored in blocks of {@link #keyBlock} keys, each block transposed: key {@code j}'s
     * element {@code i} at {@code keysT[keyOff + (j / B)·blockStride + i·B + j % B]}. Each score is the same float as
     * {@link #scores} gives for the same key. The whole last block is read and written ({@code out} needs room for
     * {@code count} rounded up to a block).
     */
    float scoresTransposed(float[] q, int qOff, float[] keysT, int keyOff, int blockStride, int count, int n, float scale,
            float[] out, int outOff);

    /** The keys per block of {@link #scoresTransposed}'s layout. */
    int keyBlock();

    /**
     * {@link #scoresTransposed} in a peer's order: each score {@code sum.dot(q, key) · scale}, the float {@link
     * Summation#dot} gives (tinyBLAS's Q·K of a batch, or ggml_vec_dot_f16/f32's) to the bit. Returns the largest
     * score. This form gathers each key and calls {@code dot}; the vector form keeps a vector of keys per lane of
     * the peer's register.
     */
    default float peerScoresTransposed(Summation sum, float[] q, int qOff, float[] keysT, int keyOff, int blockStride, int count,
            int n, float scale, float[] out, int outOff) {
        int block = keyBlock();
        float[] key = new float[n];
        float[] lanes = new float[4 * 16];
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            int k = keyOff + j / block * blockStride + j % block;
            for (int i = 0; i < n; i++) {
                key[i] = keysT[k + i * block];
            }
            out[outOff + j] = sum.dot(q, qOff, key, 0, n, lanes) * scale;
            max = Math.max(max, out[outOff + j]);
        }
        return max;
    }

    /**
     * P·V in tinyBLAS's order, {@code out[outOff + d] = Σ_j p[j]·values[valueOff + j·stride + d]} for {@code d <
     * width}: row j's products go into lane {@code j mod simd.lanes()} by fma, in order of j, and the lanes are summed
     * by {@link GgmlSimd#horizontalSum}, each output the peer's float to the bit. {@code acc} holds {@code
     * simd.lanes()·width} floats.
     */
    default void tinyBlasWeightedSum(GgmlSimd simd, float[] p, int n, float[] values, int valueOff, int stride, int width,
            float[] acc, float[] out, int outOff) {
        int lanes = simd.lanes();
        java.util.Arrays.fill(acc, 0, lanes * width, 0f);
        for (int j = 0; j < n; j++) {
            int base = (j % lanes) * width;
            int v = valueOff + j * stride;
            for (int d = 0; d < width; d++) {
                acc[base + d] = Math.fma(p[j], values[v + d], acc[base + d]);
            }
        }
        for (int d = 0; d < width; d++) {
            out[outOff + d] = simd.horizontalSum(acc, d, width);
        }
    }

    /**
     * {@code x[off + i] = expf(x[off + i] − shift)} for {@code i < n}, where {@code expf} is ggml's AVX-512 form,
     * {@link GgmlSimd#expf} of {@link GgmlSimd#AVX512}, to the bit.
     */
    void expShifted(float[] x, int off, int n, float shift);

    /**
     * {@code acc[accOff + i] += Σ_j p[pOff + j]·x[xOff + j·stride + i]} for {@code i < n}, the rows {@code j <
     * count} added in order, each with one fused multiply-add per element ({@code acc = fma(p, x, acc)}).
     */
    void addWeighted(float[] p, int pOff, int count, float[] x, int xOff, int stride, float[] acc, int accOff, int n);

    /**
     * The gated feed-forward activation of BitNet b1.58: {@code g[off + i] = relu(g[off + i])² · up[off + i]} for
     * {@code i < n}, with ggml's relu ({@code x > 0 ? x : 0}, so 0 for −0 and NaN) and two rounded multiplications.
     */
    void reluSquaredTimes(float[] g, float[] up, int off, int n);

    /**
     * The gated SiLU: {@code g[off + i] = silu(g[off + i]) · up[off + i]} for {@code i < n}, with ggml's AVX-512
     * SiLU ({@link GgmlSimd#silu} of {@link GgmlSimd#AVX512}), to the bit.
     */
    void siluTimes(float[] g, float[] up, int off, int n);

    /**
     * {@link io.bitnet4j.format.Q8_K#quantizeBlock} of the 256 values at {@code x[from]} into {@code qs[qsOffset ..]},
     * to the bit; also writes the sum of each run of 32 values to {@code sums32[sumsOffset ..]} (8 sums). Returns
     * the block scale.
     */
    float quantizeQ8KBlock(float[] x, int from, byte[] qs, int qsOffset, int[] sums32, int sumsOffset);

    /**
     * {@link io.bitnet4j.format.I2sMatmul#quantizeRow} (bitnet.cpp's int8 activations, one scale per row) of the
     * {@code cols} values at {@code x[from]} into {@code q[qOffset ..]}, to the bit; writes the sum of the int8 values
     * to {@code sums[sumIndex]} and returns the scale.
     */
    float quantizeI8Row(float[] x, int from, int cols, byte[] q, int qOffset, int[] sums, int sumIndex);

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
