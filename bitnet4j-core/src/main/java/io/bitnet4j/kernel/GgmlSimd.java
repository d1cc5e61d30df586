package io.bitnet4j.kernel;

import java.util.Arrays;

/**
 * The float32 arithmetic of ggml's x86 CPU kernels for one vector width, reproduced where a result is
 * rounded afterwards (to f16 or to int8), so that a last-bit difference would otherwise flip that rounding
 * and grow through the layers. The peers' reference builds are AVX-512 (llama.cpp c392e50 and bitnet.cpp),
 * apart from llama.cpp's TQ dot products, which only have an AVX2 version.
 *
 * <p>Every routine sums in the order the SIMD code does: per-lane fma chains, then a fixed tree across
 * the lanes. Compilers fuse ggml's {@code mul} + {@code add} intrinsics into fma, which we do too.
 */
public enum GgmlSimd {
    /** 8 float lanes ({@code __m256}). */
    AVX2(8),
    /** 16 float lanes ({@code __m512}). */
    AVX512(16);

    private final int lanes;

    GgmlSimd(int lanes) {
        this.lanes = lanes;
    }

    /** Float lanes of one vector. */
    public int lanes() {
        return lanes;
    }

    /** Elements per iteration of {@code ggml_vec_dot_f16}/{@code _f32}: four vectors. */
    public int vecDotStep() {
        return 4 * lanes;
    }

    /**
     * ggml's vectorized {@code expf} (after Arm's optimized routines): {@code n = round(x·log2 e)} by the
     * 1.5·2²³ shift trick, {@code b = x − n·ln2} in two fma steps, a degree-5 polynomial in fma steps, scaled
     * by {@code 2^n} (AVX-512 with {@code scalef}; AVX2 as {@code k + k·p} with {@code k = 2^n} from the exponent
     * bits, and a two-step scaling when {@code |n| > 126}); {@code |n| > 192} saturates to 0 or +∞. Within
     * 1.5 ulp of e^x and not always the correctly rounded value, hence this copy.
     */
    public float expf(float x) {
        final float shift = 0x1.8p23f;
        float z = Math.fma(x, 0x1.715476p+0f, shift);
        float n = z - shift;
        float b = Math.fma(-n, 0x1.7f7d1cp-20f, Math.fma(-n, 0x1.62e4p-1f, x));
        float u = b * b;
        float poly = Math.fma(Math.fma(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, Math.fma(0x1.555e66p-3f, b, 0x1.fffdb6p-2f));
        if (this == AVX512) {
            if (Math.abs(n) > 192) {
                return n <= 0 ? 0f : Float.POSITIVE_INFINITY;
            }
            return Math.scalb(Math.fma(poly, u, Math.fma(0x1.ffffecp-1f, b, 1.0f)), (int) n);
        }
        float j = Math.fma(poly, u, 0x1.ffffecp-1f * b);
        int e = Float.floatToRawIntBits(z) << 23;
        if (Math.abs(n) <= 126) {
            float k = Float.intBitsToFloat(e + Float.floatToRawIntBits(1f));
            return Math.fma(j, k, k);
        }
        int g = n <= 0 ? 0x82000000 : 0;
        float s1 = Float.intBitsToFloat(g + 0x7f000000);
        if (Math.abs(n) > 192) {
            return s1 * s1;
        }
        float s2 = Float.intBitsToFloat(e - g);
        return Math.fma(s2, j, s2) * s1;
    }

    /** ggml's vectorized SiLU, {@code x / (1 + expf(−x))} with {@link #expf}. */
    public float silu(float x) {
        return x / (1.0f + expf(-x));
    }

    /**
     * The horizontal sum of one vector, {@code a[off + l·stride]} for each lane {@code l}: pairs {@code (l,
     * l+8)} (AVX-512 only), then {@code (l, l+4)}, then {@code ((0+2) + (1+3))} — both {@code hsum_float_8} and
     * {@code _mm512_reduce_add_ps} as compiled.
     */
    public float horizontalSum(float[] a, int off, int stride) {
        int s = stride;
        if (this == AVX2) {
            return ((a[off] + a[off + 4 * s]) + (a[off + 2 * s] + a[off + 6 * s]))
                    + ((a[off + s] + a[off + 5 * s]) + (a[off + 3 * s] + a[off + 7 * s]));
        }
        float t0 = (a[off] + a[off + 8 * s]) + (a[off + 4 * s] + a[off + 12 * s]);
        float t1 = (a[off + s] + a[off + 9 * s]) + (a[off + 5 * s] + a[off + 13 * s]);
        float t2 = (a[off + 2 * s] + a[off + 10 * s]) + (a[off + 6 * s] + a[off + 14 * s]);
        float t3 = (a[off + 3 * s] + a[off + 11 * s]) + (a[off + 7 * s] + a[off + 15 * s]);
        return (t0 + t2) + (t1 + t3);
    }

    /**
     * {@code GGML_F32_VEC_REDUCE} over four accumulators ({@code k}, lane {@code l} at
     * {@code a[off + (k·lanes + l)·stride]}): {@code (acc0+acc2) + (acc1+acc3)} per lane, then across the
     * lanes (AVX-512: {@link #horizontalSum}; AVX2: {@code hadd} twice, {@code ((0+4)+(1+5)) + ((2+6)+(3+7))}).
     * Overwrites accumulator 0.
     */
    public float reduceFour(float[] a, int off, int stride) {
        int step = lanes * stride;
        for (int l = 0; l < lanes; l++) {
            int i = off + l * stride;
            a[i] = (a[i] + a[i + 2 * step]) + (a[i + step] + a[i + 3 * step]);
        }
        if (this == AVX512) {
            return horizontalSum(a, off, stride);
        }
        int s = stride;
        return ((a[off] + a[off + 4 * s]) + (a[off + s] + a[off + 5 * s]))
                + ((a[off + 2 * s] + a[off + 6 * s]) + (a[off + 3 * s] + a[off + 7 * s]));
    }

    /**
     * A dot product as llamafile's tinyBLAS computes one output: lane {@code l} accumulates
     * {@code a[i]·b[i]} for {@code i ≡ l (mod lanes)} in order with fma, then {@link #horizontalSum}. {@code n}
     * must be a multiple of {@link #lanes()}; {@code scratch} holds at least {@code lanes} floats.
     */
    public float tinyBlasDot(float[] a, int aOff, float[] b, int bOff, int n, float[] scratch) {
        return tinyBlasDot(a, aOff, b, bOff, n, scratch, LaneFma.SCALAR);
    }

    /** {@link #tinyBlasDot} with each lane's fma chain run by {@code fma}. */
    float tinyBlasDot(float[] a, int aOff, float[] b, int bOff, int n, float[] scratch, LaneFma fma) {
        Arrays.fill(scratch, 0, lanes, 0f);
        fma.accumulate(a, aOff, b, bOff, n, lanes, scratch);
        return horizontalSum(scratch, 0, 1);
    }

    /**
     * The per-lane fma chains both routines start with: {@code scratch[l] = fma(a[i], b[i], scratch[l])} for the
     * {@code i < whole} with {@code i ≡ l (mod width)}, in order of {@code i}. The lanes are independent, so a
     * vectorized version ({@link PeerOrderVectorFma}) gives the same floats.
     */
    @FunctionalInterface
    interface LaneFma {
        /** Plain Java, block by block: no index needs a division, and the inner loop is one the JIT can vectorize. */
        LaneFma SCALAR = (a, aOff, b, bOff, whole, width, scratch) -> {
            for (int base = 0; base < whole; base += width) {
                int ai = aOff + base;
                int bi = bOff + base;
                for (int lane = 0; lane < width; lane++) {
                    scratch[lane] = Math.fma(a[ai + lane], b[bi + lane], scratch[lane]);
                }
            }
        };

        void accumulate(float[] a, int aOff, float[] b, int bOff, int whole, int width, float[] scratch);
    }

    /**
     * {@code ggml_vec_dot_f16} ({@code halfTail}: values are f16, so products are exact and the tail is added in
     * double) or {@code ggml_vec_dot_f32} (tail with fma in float): four fma accumulators over whole blocks of
     * {@link #vecDotStep()}, {@link #reduceFour}, then the tail. {@code scratch} holds {@code vecDotStep()} floats.
     */
    public float vecDot(float[] a, int aOff, float[] b, int bOff, int n, boolean halfTail, float[] scratch) {
        return vecDot(a, aOff, b, bOff, n, halfTail, scratch, LaneFma.SCALAR);
    }

    /** {@link #vecDot} with each lane's fma chain run by {@code fma}. */
    float vecDot(float[] a, int aOff, float[] b, int bOff, int n, boolean halfTail, float[] scratch, LaneFma fma) {
        int step = vecDotStep();
        int whole = n - n % step;
        float head = 0f;
        if (whole > 0) {
            Arrays.fill(scratch, 0, step, 0f);
            fma.accumulate(a, aOff, b, bOff, whole, step, scratch); // lane l takes elements l, l + step, ... in order
            head = reduceFour(scratch, 0, 1);
        }
        if (halfTail) {
            double sum = head;
            for (int i = whole; i < n; i++) {
                sum += a[aOff + i] * b[bOff + i];
            }
            return (float) sum;
        }
        float sum = head;
        for (int i = whole; i < n; i++) {
            sum = Math.fma(a[aOff + i], b[bOff + i], sum);
        }
        return sum;
    }
}
