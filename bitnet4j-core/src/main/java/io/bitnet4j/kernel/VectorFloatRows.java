package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * {@link FloatRows} at the width of {@link VectorWidth}. Dot products: whole vectors with fused multiply-adds, two
 * independent sums, the lanes added in {@link LaneSums} order in registers (storing each sum to add
 * its lanes from memory cost more than a short row's multiplications), then the tail element by element; or, for a
 * block of transposed keys, the same sums with a vector per lane ({@link #scoresTransposed}). The element-wise
 * routines (expf, the gated activations; the int8 quantizations in {@link VectorQuantizers}) repeat their scalar
 * forms' operations lane by lane, so they give the same floats.
 */
final class VectorFloatRows implements FloatRows {
    static final VectorFloatRows INSTANCE = new VectorFloatRows();

    private static final int L = FLOATS.length();
    /** Lane {@code i} takes lane {@code i + h} (wrapping; only the lanes below {@code h} are used): the tree's steps. */
    private static final VectorShuffle<Float> UP_8 = VectorShuffle.iota(FLOATS, 8, 1, true);
    private static final VectorShuffle<Float> UP_4 = VectorShuffle.iota(FLOATS, 4, 1, true);
    private static final VectorShuffle<Float> UP_2 = VectorShuffle.iota(FLOATS, 2, 1, true);
    private static final VectorShuffle<Float> UP_1 = VectorShuffle.iota(FLOATS, 1, 1, true);

    // ggml's expf (GgmlSimd.expf, AVX-512 form): its constants
    private static final float EXP_SHIFT = 0x1.8p23f;
    private static final float LOG2_E = 0x1.715476p+0f;
    private static final float LN2_HI = 0x1.62e4p-1f;
    private static final float LN2_LO = 0x1.7f7d1cp-20f;
    private static final float C1 = 0x1.ffffecp-1f;
    private static final float C2 = 0x1.fffdb6p-2f;
    private static final float C3 = 0x1.555e66p-3f;
    private static final float C4 = 0x1.573e2ep-5f;
    private static final float C5 = 0x1.0e4020p-7f;

    /** Per-thread room for {@link #scoresTransposed}'s per-lane sums: {@code L} vectors. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L * L]);
    /** Per-thread room for {@link #peerScoresTransposed}'s chains: up to 64 vectors (ggml_vec_dot's at 16 lanes). */
    private static final ThreadLocal<float[]> PEER_LANES = ThreadLocal.withInitial(() -> new float[64 * L]);
    /** Per-thread room for {@link #siluTimes}' e<sup>−x</sup>, a run of values at a time. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[64 * L]);

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
        // LaneSums' halving tree in registers: lane i plus lane i + L/2, and so on down to lane 0 (each step's upper
        // lanes are not used). Written here, not in a helper: a vector passed to a method C2 does not inline is boxed.
        FloatVector v = s0.lanewise(VectorOperators.ADD, s1); // s0 is carried out of the loop (see the package)
        if (L == 16) {
            v = v.add(v.rearrange(UP_8));
        }
        v = v.add(v.rearrange(UP_4));
        v = v.add(v.rearrange(UP_2));
        v = v.add(v.rearrange(UP_1));
        float s = v.lane(0);
        for (int i = whole; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    /**
     * {@link #dot}'s sums for a block of keys at once, lane {@code j} for key {@code j}: {@link #dot} keeps one running
     * sum per lane of the row (two, for even and odd vectors), then adds the lanes in a tree; here each of those
     * per-lane sums is a vector over keys ({@code lanes} holds them, one row each), and the tree adds whole vectors.
     * The same multiply-adds in the same order, so the same floats, without adding lanes across a vector. A block is
     * one run of memory (rows of {@code L} keys), read front to back.
     */
    @Override
    public float scoresTransposed(float[] q, int qOff, float[] keysT, int keyOff, int blockStride, int count, int n, float scale,
            float[] out, int outOff) {
        int whole = n - n % L;
        int pairs = whole - whole % (2 * L);
        float[] lanes = LANES.get();
        FloatVector max = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        for (int j = 0, k = keyOff; j < count; j += L, k += blockStride) {
            for (int l = 0; l < L; l++) { // the sums of dot's lane l, for L keys
                FloatVector s0 = FloatVector.zero(FLOATS);
                FloatVector s1 = s0;
                for (int i = l; i < pairs; i += 2 * L) {
                    s0 = FloatVector.fromArray(FLOATS, keysT, k + i * L).fma(FloatVector.broadcast(FLOATS, q[qOff + i]), s0);
                    s1 = FloatVector.fromArray(FLOATS, keysT, k + (i + L) * L).fma(FloatVector.broadcast(FLOATS, q[qOff + i + L]), s1);
                }
                if (pairs < whole) {
                    s0 = FloatVector.fromArray(FLOATS, keysT, k + (pairs + l) * L).fma(FloatVector.broadcast(FLOATS, q[qOff + pairs + l]), s0);
                }
                s0.lanewise(VectorOperators.ADD, s1).intoArray(lanes, l * L);
            }
            for (int half = L / 2; half >= 1; half /= 2) { // LaneSums' tree, a vector of keys per lane
                for (int l = 0; l < half; l++) {
                    FloatVector.fromArray(FLOATS, lanes, l * L).add(FloatVector.fromArray(FLOATS, lanes, (l + half) * L))
                            .intoArray(lanes, l * L);
                }
            }
            FloatVector s = FloatVector.fromArray(FLOATS, lanes, 0);
            for (int i = whole; i < n; i++) {
                s = FloatVector.fromArray(FLOATS, keysT, k + i * L).fma(FloatVector.broadcast(FLOATS, q[qOff + i]), s);
            }
            s = s.lanewise(VectorOperators.MUL, scale);
            s.intoArray(out, outOff + j);
            max = max.lanewise(VectorOperators.MAX, s, FLOATS.indexInRange(j, count));
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    @Override
    public float peerScoresTransposed(Summation sum, float[] q, int qOff, float[] keysT, int keyOff, int blockStride, int count,
            int n, float scale, float[] out, int outOff) {
        GgmlSimd simd = sum.simd();
        int w = simd.lanes();
        boolean tiny = sum.routine() == Summation.Routine.TINY_BLAS;
        // the peer's fma chains: tinyBLAS one per lane of its register, ggml_vec_dot four registers' worth
        int chains = tiny ? w : simd.vecDotStep();
        if (sum.kernelOrder() || n == 0 || n % chains != 0 || (w != 8 && w != 16)) { // vec_dot's tail: key by key
            return FloatRows.super.peerScoresTransposed(sum, q, qOff, keysT, keyOff, blockStride, count, n, scale, out, outOff);
        }
        float[] lanes = PEER_LANES.get();
        FloatVector max = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        for (int j = 0, k = keyOff; j < count; j += L, k += blockStride) {
            for (int l = 0; l < chains; l++) { // the peer's chain l, for L keys
                FloatVector s = FloatVector.zero(FLOATS);
                for (int i = l; i < n; i += chains) {
                    s = FloatVector.fromArray(FLOATS, keysT, k + i * L).fma(FloatVector.broadcast(FLOATS, q[qOff + i]), s);
                }
                s.intoArray(lanes, l * L);
            }
            FloatVector s;
            if (tiny) {
                s = peerTree(lanes, 0, L, w);
            } else { // GgmlSimd.reduceFour: the four registers lane by lane, then across the lanes
                for (int l = 0; l < w; l++) {
                    lane(lanes, 0, L, l).add(lane(lanes, 0, L, l + 2 * w)).add(lane(lanes, 0, L, l + w).add(lane(lanes, 0, L, l + 3 * w)))
                            .intoArray(lanes, l * L);
                }
                s = w == 16 ? peerTree(lanes, 0, L, w)
                        : lane(lanes, 0, L, 0).add(lane(lanes, 0, L, 4)).add(lane(lanes, 0, L, 1).add(lane(lanes, 0, L, 5)))
                                .add(lane(lanes, 0, L, 2).add(lane(lanes, 0, L, 6)).add(lane(lanes, 0, L, 3).add(lane(lanes, 0, L, 7))));
            }
            s = s.lanewise(VectorOperators.MUL, scale);
            s.intoArray(out, outOff + j);
            max = max.lanewise(VectorOperators.MAX, s, FLOATS.indexInRange(j, count));
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    @Override
    public void tinyBlasWeightedSum(GgmlSimd simd, float[] p, int n, float[] values, int valueOff, int stride, int width,
            float[] acc, float[] out, int outOff) {
        int w = simd.lanes();
        if (width % L != 0 || (w != 8 && w != 16)) {
            FloatRows.super.tinyBlasWeightedSum(simd, p, n, values, valueOff, stride, width, acc, out, outOff);
            return;
        }
        Arrays.fill(acc, 0, w * width, 0f);
        for (int j = 0; j < n; j++) { // row j into lane j mod w's accumulators: fma(p[j], value, acc)
            FloatVector pj = FloatVector.broadcast(FLOATS, p[j]);
            int base = (j % w) * width;
            int v = valueOff + j * stride;
            for (int d = 0; d < width; d += L) {
                FloatVector.fromArray(FLOATS, values, v + d).fma(pj, FloatVector.fromArray(FLOATS, acc, base + d))
                        .intoArray(acc, base + d);
            }
        }
        for (int d = 0; d < width; d += L) {
            peerTree(acc, d, width, w).intoArray(out, outOff + d);
        }
    }

    /**
     * {@link GgmlSimd#horizontalSum}'s tree over {@code w} (16 or 8) lanes, lane l a vector at {@code a[off + l·stride]}:
     * L sums at once, each the peer's float.
     */
    private static FloatVector peerTree(float[] a, int off, int stride, int w) {
        if (w == 16) {
            FloatVector t0 = lane(a, off, stride, 0).add(lane(a, off, stride, 8)).add(lane(a, off, stride, 4).add(lane(a, off, stride, 12)));
            FloatVector t1 = lane(a, off, stride, 1).add(lane(a, off, stride, 9)).add(lane(a, off, stride, 5).add(lane(a, off, stride, 13)));
            FloatVector t2 = lane(a, off, stride, 2).add(lane(a, off, stride, 10)).add(lane(a, off, stride, 6).add(lane(a, off, stride, 14)));
            FloatVector t3 = lane(a, off, stride, 3).add(lane(a, off, stride, 11)).add(lane(a, off, stride, 7).add(lane(a, off, stride, 15)));
            return t0.add(t2).add(t1.add(t3));
        }
        return lane(a, off, stride, 0).add(lane(a, off, stride, 4)).add(lane(a, off, stride, 2).add(lane(a, off, stride, 6)))
                .add(lane(a, off, stride, 1).add(lane(a, off, stride, 5)).add(lane(a, off, stride, 3).add(lane(a, off, stride, 7))));
    }

    private static FloatVector lane(float[] a, int off, int stride, int l) {
        return FloatVector.fromArray(FLOATS, a, off + l * stride);
    }

    @Override
    public int keyBlock() {
        return L;
    }

    /**
     * ggml's expf, a vector at a time, with the operations of {@link GgmlSimd#expf} in the same order. Its
     * {@code scalb(r, n)} becomes two multiplications by powers of two: with {@code |n| ≤ 192} split as {@code n/2}
     * and the rest, the first is exact (r is near 1, so {@code r·2^(n/2)} is a normal float) and the second rounds
     * once, as {@code scalb} does.
     */
    @Override
    public void expShifted(float[] x, int off, int n, float shift) {
        int whole = n - n % L;
        expf(x, off, 1f, shift, x, off, whole);
        for (int i = off + whole; i < off + n; i++) {
            x[i] = GgmlSimd.AVX512.expf(x[i] - shift);
        }
    }

    /**
     * {@code dst[dstOff + i] = expf(sign·src[srcOff + i] − shift)} for {@code i < n} (a whole number of vectors), with
     * ggml's AVX-512 expf (see {@link #expShifted}). The whole loop is one method: a vector handed to or returned from
     * a method C2 does not inline is boxed, an allocation per call.
     */
    private static void expf(float[] src, int srcOff, float sign, float shift, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(FLOATS, src, srcOff + i).mul(sign).sub(shift);
            FloatVector k = v.fma(LOG2_E, EXP_SHIFT).sub(EXP_SHIFT); // round(v·log2 e)
            FloatVector minusK = k.neg();
            FloatVector b = minusK.fma(FloatVector.broadcast(FLOATS, LN2_LO), minusK.fma(FloatVector.broadcast(FLOATS, LN2_HI), v));
            FloatVector u = b.mul(b);
            FloatVector poly = b.fma(C5, C4).fma(u, b.fma(C3, C2));
            FloatVector r = poly.fma(u, b.fma(C1, 1.0f));
            IntVector e = (IntVector) k.convert(VectorOperators.F2I, 0);
            IntVector half = e.lanewise(VectorOperators.ASHR, 1);
            FloatVector scaled = r.mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(e.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            VectorMask<Float> beyond = k.abs().compare(VectorOperators.GT, 192f); // saturates: 0 below, +∞ above
            FloatVector saturated = FloatVector.broadcast(FLOATS, Float.POSITIVE_INFINITY).blend(0f, k.compare(VectorOperators.LE, 0f));
            scaled.blend(saturated, beyond).intoArray(dst, dstOff + i);
        }
    }

    @Override
    public void reluSquaredTimes(float[] g, float[] up, int off, int n) {
        int whole = n - n % L;
        for (int i = off; i < off + whole; i += L) {
            FloatVector x = FloatVector.fromArray(FLOATS, g, i);
            FloatVector relu = FloatVector.zero(FLOATS).blend(x, x.compare(VectorOperators.GT, 0f)); // NaN -> 0, as x > 0 ? x : 0
            relu.mul(relu).mul(FloatVector.fromArray(FLOATS, up, i)).intoArray(g, i);
        }
        ScalarFloatRows.INSTANCE.reluSquaredTimes(g, up, off + whole, n - whole);
    }

    @Override
    public void siluTimes(float[] g, float[] up, int off, int n) {
        int whole = n - n % L;
        float[] e = SCRATCH.get();
        for (int c = 0; c < whole; c += e.length) { // e^-x for a run of values, then x / (1 + e^-x) · up
            int run = Math.min(e.length, whole - c);
            expf(g, off + c, -1f, 0f, e, 0, run);
            for (int i = 0; i < run; i += L) {
                FloatVector.fromArray(FLOATS, g, off + c + i).div(FloatVector.fromArray(FLOATS, e, i).add(1.0f))
                        .mul(FloatVector.fromArray(FLOATS, up, off + c + i)).intoArray(g, off + c + i);
            }
        }
        ScalarFloatRows.INSTANCE.siluTimes(g, up, off + whole, n - whole);
    }

    @Override
    public float quantizeQ8KBlock(float[] x, int from, byte[] qs, int qsOffset, int[] sums32, int sumsOffset) {
        return VectorQuantizers.q8kBlock(x, from, qs, qsOffset, sums32, sumsOffset);
    }

    @Override
    public float quantizeI8Row(float[] x, int from, int cols, byte[] q, int qOffset, int[] sums, int sumIndex) {
        return VectorQuantizers.i8Row(x, from, cols, q, qOffset, sums, sumIndex);
    }

    /**
     * Eight vectors of the accumulator at a time (then one) stay in registers while every row is added to them, so
     * each multiply-add loads one vector instead of also loading and storing the accumulator.
     */
    @Override
    public void addWeighted(float[] p, int pOff, int count, float[] x, int xOff, int stride, float[] acc, int accOff, int n) {
        int whole = n - n % L;
        int c = 0;
        for (; c + 8 * L <= whole; c += 8 * L) { // eight independent sums: enough to hide the multiply-add latency
            FloatVector a0 = FloatVector.fromArray(FLOATS, acc, accOff + c);
            FloatVector a1 = FloatVector.fromArray(FLOATS, acc, accOff + c + L);
            FloatVector a2 = FloatVector.fromArray(FLOATS, acc, accOff + c + 2 * L);
            FloatVector a3 = FloatVector.fromArray(FLOATS, acc, accOff + c + 3 * L);
            FloatVector a4 = FloatVector.fromArray(FLOATS, acc, accOff + c + 4 * L);
            FloatVector a5 = FloatVector.fromArray(FLOATS, acc, accOff + c + 5 * L);
            FloatVector a6 = FloatVector.fromArray(FLOATS, acc, accOff + c + 6 * L);
            FloatVector a7 = FloatVector.fromArray(FLOATS, acc, accOff + c + 7 * L);
            for (int j = 0, row = xOff + c; j < count; j++, row += stride) {
                FloatVector pj = FloatVector.broadcast(FLOATS, p[pOff + j]);
                a0 = FloatVector.fromArray(FLOATS, x, row).fma(pj, a0);
                a1 = FloatVector.fromArray(FLOATS, x, row + L).fma(pj, a1);
                a2 = FloatVector.fromArray(FLOATS, x, row + 2 * L).fma(pj, a2);
                a3 = FloatVector.fromArray(FLOATS, x, row + 3 * L).fma(pj, a3);
                a4 = FloatVector.fromArray(FLOATS, x, row + 4 * L).fma(pj, a4);
                a5 = FloatVector.fromArray(FLOATS, x, row + 5 * L).fma(pj, a5);
                a6 = FloatVector.fromArray(FLOATS, x, row + 6 * L).fma(pj, a6);
                a7 = FloatVector.fromArray(FLOATS, x, row + 7 * L).fma(pj, a7);
            }
            a0.intoArray(acc, accOff + c);
            a1.intoArray(acc, accOff + c + L);
            a2.intoArray(acc, accOff + c + 2 * L);
            a3.intoArray(acc, accOff + c + 3 * L);
            a4.intoArray(acc, accOff + c + 4 * L);
            a5.intoArray(acc, accOff + c + 5 * L);
            a6.intoArray(acc, accOff + c + 6 * L);
            a7.intoArray(acc, accOff + c + 7 * L);
        }
        for (; c < whole; c += L) {
            FloatVector a = FloatVector.fromArray(FLOATS, acc, accOff + c);
            for (int j = 0, row = xOff + c; j < count; j++, row += stride) {
                a = FloatVector.fromArray(FLOATS, x, row).fma(FloatVector.broadcast(FLOATS, p[pOff + j]), a);
            }
            a.intoArray(acc, accOff + c);
        }
        ScalarFloatRows.INSTANCE.addWeighted(p, pOff, count, x, xOff + whole, stride, acc, accOff + whole, n - whole);
    }

    @Override
    public void widenHalves(MemorySegment src, long at, float[] dst, int dstOffset, int n) {
        F16VectorMatrix.widen(src, at, dst, dstOffset, n);
    }
}
