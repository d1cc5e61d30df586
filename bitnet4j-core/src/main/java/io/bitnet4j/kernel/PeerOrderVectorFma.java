package io.bitnet4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-lane fma chains of ggml's float dot products ({@link GgmlSimd.LaneFma}) with the Vector API: lane
 * {@code l} of the peer's register is lane {@code l mod L} of one of our vectors, and each takes the same fma in the
 * same order, so the sums are the plain-Java chains' floats to the bit. This is what keeps the exact numerics
 * ({@code perplexity}, {@code logits}, {@code --numerics llama.cpp}) from running the F16 and BF16 matrices,
 * the output head above all, at scalar speed.
 */
final class PeerOrderVectorFma implements GgmlSimd.LaneFma {
    static final PeerOrderVectorFma INSTANCE = new PeerOrderVectorFma();

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int L = FLOATS.length();

    private PeerOrderVectorFma() {
    }

    @Override
    public void accumulate(float[] a, int aOff, float[] b, int bOff, int whole, int width, float[] scratch) {
        if (width == 4 * L) { // ggml_vec_dot_* at our width: four independent chains, as the peer keeps them
            FloatVector s0 = FloatVector.fromArray(FLOATS, scratch, 0);
            FloatVector s1 = FloatVector.fromArray(FLOATS, scratch, L);
            FloatVector s2 = FloatVector.fromArray(FLOATS, scratch, 2 * L);
            FloatVector s3 = FloatVector.fromArray(FLOATS, scratch, 3 * L);
            for (int base = 0; base < whole; base += width) {
                int ai = aOff + base;
                int bi = bOff + base;
                s0 = FloatVector.fromArray(FLOATS, a, ai).fma(FloatVector.fromArray(FLOATS, b, bi), s0);
                s1 = FloatVector.fromArray(FLOATS, a, ai + L).fma(FloatVector.fromArray(FLOATS, b, bi + L), s1);
                s2 = FloatVector.fromArray(FLOATS, a, ai + 2 * L).fma(FloatVector.fromArray(FLOATS, b, bi + 2 * L), s2);
                s3 = FloatVector.fromArray(FLOATS, a, ai + 3 * L).fma(FloatVector.fromArray(FLOATS, b, bi + 3 * L), s3);
            }
            s0.intoArray(scratch, 0);
            s1.intoArray(scratch, L);
            s2.intoArray(scratch, 2 * L);
            s3.intoArray(scratch, 3 * L);
        } else if (width % L == 0) { // a vector's worth of the peer's lanes at a time
            for (int j = 0; j < width; j += L) {
                FloatVector s = FloatVector.fromArray(FLOATS, scratch, j);
                for (int base = 0; base < whole; base += width) {
                    s = FloatVector.fromArray(FLOATS, a, aOff + base + j).fma(FloatVector.fromArray(FLOATS, b, bOff + base + j), s);
                }
                s.intoArray(scratch, j);
            }
        } else { // the peer's register is narrower than ours (AVX2's tinyBLAS at 512 bits)
            SCALAR.accumulate(a, aOff, b, bOff, whole, width, scratch);
        }
    }

    /** Whether {@link #accumulateFour} takes the peer's lanes {@code width}: whole vectors of them. */
    static boolean interleaves(int width) {
        return width % L == 0;
    }

    /**
     * {@link #accumulate} of {@code a} with four rows of {@code b} ({@code bOff + j·bStride}, lanes into
     * {@code scratch[j·width ..]}), the four chains interleaved. The same fma in the same order per lane, so the same
     * floats; a lone chain (tinyBLAS's one accumulator per lane) waits on each fma's latency, four keep the unit busy.
     * {@code width} must be a multiple of our vector ({@link #interleaves}).
     */
    void accumulateFour(float[] a, int aOff, float[] b, int bOff, int bStride, int whole, int width, float[] scratch) {
        for (int j = 0; j < width; j += L) {
            FloatVector s0 = FloatVector.fromArray(FLOATS, scratch, j);
            FloatVector s1 = FloatVector.fromArray(FLOATS, scratch, width + j);
            FloatVector s2 = FloatVector.fromArray(FLOATS, scratch, 2 * width + j);
            FloatVector s3 = FloatVector.fromArray(FLOATS, scratch, 3 * width + j);
            for (int base = j; base < whole; base += width) {
                FloatVector w = FloatVector.fromArray(FLOATS, a, aOff + base);
                int bi = bOff + base;
                s0 = w.fma(FloatVector.fromArray(FLOATS, b, bi), s0);
                s1 = w.fma(FloatVector.fromArray(FLOATS, b, bi + bStride), s1);
                s2 = w.fma(FloatVector.fromArray(FLOATS, b, bi + 2 * bStride), s2);
                s3 = w.fma(FloatVector.fromArray(FLOATS, b, bi + 3 * bStride), s3);
            }
            s0.intoArray(scratch, j);
            s1.intoArray(scratch, width + j);
            s2.intoArray(scratch, 2 * width + j);
            s3.intoArray(scratch, 3 * width + j);
        }
    }
}
