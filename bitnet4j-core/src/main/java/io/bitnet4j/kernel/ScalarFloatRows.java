package io.bitnet4j.kernel;

import io.bitnet4j.format.I2sMatmul;
import io.bitnet4j.format.Q8_K;
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
    public float scoresTransposed(float[] q, int qOff, float[] keysT, int keyOff, int blockStride, int count, int n, float scale,
            float[] out, int outOff) {
        int block = keyBlock();
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            int k = keyOff + j / block * blockStride + j % block;
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s = Math.fma(q[qOff + i], keysT[k + i * block], s);
            }
            out[outOff + j] = s * scale;
            max = Math.max(max, out[outOff + j]);
        }
        return max;
    }

    @Override
    public int keyBlock() {
        return 16;
    }

    @Override
    public void expShifted(float[] x, int off, int n, float shift) {
        for (int i = off; i < off + n; i++) {
            x[i] = GgmlSimd.AVX512.expf(x[i] - shift);
        }
    }

    @Override
    public void addWeighted(float[] p, int pOff, int count, float[] x, int xOff, int stride, float[] acc, int accOff, int n) {
        for (int j = 0; j < count; j++) { // row by row, one fused multiply-add per element
            for (int i = 0; i < n; i++) {
                acc[accOff + i] = Math.fma(p[pOff + j], x[xOff + j * stride + i], acc[accOff + i]);
            }
        }
    }

    @Override
    public void reluSquaredTimes(float[] g, float[] up, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float relu = g[i] > 0f ? g[i] : 0f;
            g[i] = relu * relu * up[i];
        }
    }

    @Override
    public void siluTimes(float[] g, float[] up, int off, int n) {
        for (int i = off; i < off + n; i++) {
            g[i] = GgmlSimd.AVX512.silu(g[i]) * up[i];
        }
    }

    @Override
    public float quantizeQ8KBlock(float[] x, int from, byte[] qs, int qsOffset, int[] sums32, int sumsOffset) {
        float d = Q8_K.quantizeBlock(x, from, qs, qsOffset);
        for (int g = 0; g < Q8_K.BLOCK_SIZE / 32; g++) {
            int sum = 0;
            for (int i = 0; i < 32; i++) {
                sum += qs[qsOffset + 32 * g + i];
            }
            sums32[sumsOffset + g] = sum;
        }
        return d;
    }

    @Override
    public float quantizeI8Row(float[] x, int from, int cols, byte[] q, int qOffset, int[] sums, int sumIndex) {
        float s = I2sMatmul.quantizeRow(x, from, cols, q, qOffset);
        int sum = 0;
        for (int c = 0; c < cols; c++) {
            sum += q[qOffset + c];
        }
        sums[sumIndex] = sum;
        return s;
    }

    @Override
    public void widenHalves(MemorySegment src, long at, float[] dst, int dstOffset, int n) {
        FloatRowDecoders.widenHalves(src, at, dst, dstOffset, n);
    }
}
