package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one dense product the trainer needs, {@code C[m×n] (+)= A[m×k] · B[n×k]ᵀ} (both operands row-major with the
 * shared axis {@code k} contiguous), and a transpose to bring the other products into that form: a layer's forward
 * pass is {@code X·Wᵀ}, its input gradient {@code dY·(Wᵀ)ᵀ} and its weight gradient {@code dYᵀ·(Xᵀ)ᵀ}.
 *
 * <p>Tiled 2×4 with FloatVector FMAs; the rows of {@code A} are split over the worker pool. Determinism: every
 * element of {@code C} is computed by exactly one thread with a fixed sequence of operations (lane-wise FMAs, then
 * the lanes summed in index order, then the scalar tail), which depends neither on the thread count nor on whether
 * the JIT has compiled the Vector API yet, so a seeded run gives the same bits with any {@code --threads}.
 */
public final class FloatMatmul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of B kept hot while every row of A in a thread's range passes over them (≈ 64–256 KB for k = 256–1024). */
    private static final int B_BLOCK = 64;

    private FloatMatmul() {}

    /**
     * {@code c[cOff + i·n + j] (+)= Σ_p a[aOff + i·k + p] · b[bOff + j·k + p]} for {@code i < m, j < n}.
     *
     * @param accumulate add to {@code c} instead of overwriting it
     */
    public static void abT(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k,
                           boolean accumulate, WorkerPool pool) {
        if (m <= 0 || n <= 0 || k <= 0) {
            throw new IllegalArgumentException("matmul dims m=" + m + " n=" + n + " k=" + k + " must be positive");
        }
        checkRange(a, aOff, (long) m * k, "A");
        checkRange(b, bOff, (long) n * k, "B");
        checkRange(c, cOff, (long) m * n, "C");
        int minRows = Math.max(4, (int) Math.min(Integer.MAX_VALUE, 65536L / ((long) n * k / 64 + 1)));
        pool.run(m, minRows, (w, from, to) -> rows(a, aOff, b, bOff, c, cOff, from, to, n, k, accumulate));
    }

    /** {@link #abT} on the calling thread alone (for work that is already split over threads, such as attention heads). */
    static void abTSerial(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        rows(a, aOff, b, bOff, c, cOff, 0, m, n, k, accumulate);
    }

    /** {@link #transpose} on the calling thread alone. */
    static void transposeSerial(float[] in, int inOff, int rows, int cols, float[] out) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = in[inOff + i * cols + j];
            }
        }
    }

    /** {@code out[j·rows + i] = in[i·cols + j]}: the {@code cols×rows} transpose of a {@code rows×cols} matrix. */
    public static void transpose(float[] in, int inOff, int rows, int cols, float[] out, int outOff, WorkerPool pool) {
        checkRange(in, inOff, (long) rows * cols, "transpose input");
        checkRange(out, outOff, (long) rows * cols, "transpose output");
        pool.run(cols, 32, (w, from, to) -> {
            for (int i0 = 0; i0 < rows; i0 += 32) {
                int i1 = Math.min(rows, i0 + 32);
                for (int j = from; j < to; j++) {
                    int o = outOff + j * rows;
                    for (int i = i0; i < i1; i++) {
                        out[o + i] = in[inOff + i * cols + j];
                    }
                }
            }
        });
    }

    private static void rows(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int from, int to, int n, int k,
                             boolean accumulate) {
        float[] lanes = new float[8 * L];
        for (int j0 = 0; j0 < n; j0 += B_BLOCK) {
            int j1 = Math.min(n, j0 + B_BLOCK);
            int i = from;
            for (; i + 2 <= to; i += 2) {
                int j = j0;
                for (; j + 4 <= j1; j += 4) {
                    tile2x4(a, aOff + i * k, b, bOff + j * k, k, lanes);
                    for (int t = 0; t < 8; t++) {
                        int r = t >> 2, col = t & 3;
                        float v = tail(a, aOff + (i + r) * k, b, bOff + (j + col) * k, k - k % L, k, sumLanes(lanes, t * L));
                        store(c, cOff + (i + r) * n + j + col, v, accumulate);
                    }
                }
                for (; j < j1; j++) {
                    for (int r = 0; r < 2; r++) {
                        store(c, cOff + (i + r) * n + j, dot(a, aOff + (i + r) * k, b, bOff + j * k, k, lanes), accumulate);
                    }
                }
            }
            for (; i < to; i++) {
                for (int j = j0; j < j1; j++) {
                    store(c, cOff + i * n + j, dot(a, aOff + i * k, b, bOff + j * k, k, lanes), accumulate);
                }
            }
        }
    }

    private static void store(float[] c, int at, float v, boolean accumulate) {
        c[at] = accumulate ? c[at] + v : v;
    }

    /**
     * The vector parts of the 8 dot products of rows {@code a0, a0+k} with rows {@code b0..b0+3k}: accumulator
     * {@code r·4 + s} goes to {@code lanes[(r·4 + s)·L ..]}. (Stored, not reduced: {@code reduceLanes} is slow here and
     * its order unspecified.)
     */
    private static void tile2x4(float[] a, int a0, float[] b, int b0, int k, float[] lanes) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        int a1 = a0 + k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        int bound = k - k % L;
        for (int p = 0; p < bound; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            c00 = x0.fma(y0, c00);
            c01 = x0.fma(y1, c01);
            c02 = x0.fma(y2, c02);
            c03 = x0.fma(y3, c03);
            c10 = x1.fma(y0, c10);
            c11 = x1.fma(y1, c11);
            c12 = x1.fma(y2, c12);
            c13 = x1.fma(y3, c13);
        }
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c02.intoArray(lanes, 2 * L);
        c03.intoArray(lanes, 3 * L);
        c10.intoArray(lanes, 4 * L);
        c11.intoArray(lanes, 5 * L);
        c12.intoArray(lanes, 6 * L);
        c13.intoArray(lanes, 7 * L);
    }

    /** One dot product of length {@code k}, with the same operation order as a tile element. */
    static float dot(float[] a, int a0, float[] b, int b0, int k, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int bound = k - k % L;
        for (int p = 0; p < bound; p += L) {
            acc = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, b, b0 + p), acc);
        }
        acc.intoArray(lanes, 0);
        return tail(a, a0, b, b0, bound, k, sumLanes(lanes, 0));
    }

    /** Lanes summed in index order: {@code reduceLanes} leaves the order open, and it could change when the JIT compiles. */
    private static float sumLanes(float[] lanes, int from) {
        float s = 0f;
        for (int l = from; l < from + L; l++) {
            s += lanes[l];
        }
        return s;
    }

    private static float tail(float[] a, int a0, float[] b, int b0, int from, int k, float sum) {
        for (int p = from; p < k; p++) {
            sum = Math.fma(a[a0 + p], b[b0 + p], sum);
        }
        return sum;
    }

    private static void checkRange(float[] x, int off, long len, String what) {
        if (off < 0 || off + len > x.length) {
            throw new IllegalArgumentException("matmul operand " + what + ": " + len + " elements from offset " + off
                    + " do not fit its " + x.length);
        }
    }
}
