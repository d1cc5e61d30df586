package io.bitnet4j.kernel;

import java.util.Objects;

/**
 * The order in which a float dot product is summed: the ggml routine a peer runs for it, at its vector
 * width. Scalar kernels follow it so that their results agree with the peer's to the last bit; a kernel
 * built for speed may ignore it.
 *
 * @param routine which ggml routine
 * @param simd    the vector width the peer was built for
 */
public record Summation(Routine routine, GgmlSimd simd) {
    /** The ggml routines behind float dot products. */
    public enum Routine {
        /** llamafile's tinyBLAS ({@code llamafile_sgemm}, used for batches of 2+ rows of whole vectors). */
        TINY_BLAS,
        /** {@code ggml_vec_dot_f16}: f16 operands, exact products, the tail in double. */
        VEC_DOT_F16,
        /** {@code ggml_vec_dot_f32}: the tail with fma in float. */
        VEC_DOT_F32,
        /**
         * No peer's order: the kernel sums as is fastest for it ({@code Numerics.FAST}). Vectorized kernels
         * use their own order; the scalar kernels sum as {@link #VEC_DOT_F32} (or in their fixed integer order).
         */
        KERNEL_ORDER
    }

    /** {@code ggml_vec_dot_f32} at AVX-512 width: a sensible default for float32 weights. */
    public static final Summation DEFAULT = new Summation(Routine.VEC_DOT_F32, GgmlSimd.AVX512);

    /** Whether a kernel may sum in its own order ({@link Routine#KERNEL_ORDER}) rather than a peer's. */
    public boolean kernelOrder() {
        return routine == Routine.KERNEL_ORDER;
    }

    public Summation {
        Objects.requireNonNull(routine, "routine");
        Objects.requireNonNull(simd, "simd");
    }

    /**
     * {@code Σ a[aOff+i]·b[bOff+i]} for {@code i < n} in this order; {@code scratch} holds at least
     * {@code 4·simd.lanes()} floats. tinyBLAS needs whole vectors; for other lengths the peer would not have
     * used it, so this falls back to {@code vec_dot_f32}.
     */
    public float dot(float[] a, int aOff, float[] b, int bOff, int n, float[] scratch) {
        return dot(a, aOff, b, bOff, n, scratch, GgmlSimd.LaneFma.SCALAR);
    }

    /** {@link #dot} with each lane's fma chain run by {@code fma} (the same floats, perhaps sooner). */
    float dot(float[] a, int aOff, float[] b, int bOff, int n, float[] scratch, GgmlSimd.LaneFma fma) {
        return switch (routine) {
            case TINY_BLAS -> n % simd.lanes() == 0
                    ? simd.tinyBlasDot(a, aOff, b, bOff, n, scratch, fma)
                    : simd.vecDot(a, aOff, b, bOff, n, false, scratch, fma);
            case VEC_DOT_F16 -> simd.vecDot(a, aOff, b, bOff, n, true, scratch, fma);
            case VEC_DOT_F32, KERNEL_ORDER -> simd.vecDot(a, aOff, b, bOff, n, false, scratch, fma);
        };
    }
}
