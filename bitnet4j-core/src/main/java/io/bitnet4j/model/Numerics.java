package io.bitnet4j.model;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.kernel.ActivationType;
import io.bitnet4j.kernel.GgmlSimd;
import io.bitnet4j.kernel.Summation;
import io.bitnet4j.kernel.WeightMatrix;

/**
 * Whose rounding steps to reproduce: the two peers round and sum the same graph differently, and an
 * engine that copies one of them agrees with it to a few ulps instead of drifting by whole int8 codes.
 * Both convert activations to a weight's {@code vec_dot_type} (Q8_K for TQ, int8 per token for I2_S)
 * and route float products the same way: to llamafile's tinyBLAS when the product has two or more
 * activation rows and a row length of whole vectors (its "prompt processing only" rule), else to ggml's
 * {@code vec_dot}. They differ on F16 weights and caches:
 * <ul>
 *   <li>llama.cpp (c392e50, Feb 2025) rounds the activations of an F16 product to f16 always (its tinyBLAS
 *       takes F16 weights only with F16 activations): the LM head input when {@code token_embd} is F16, and
 *       the attention probabilities before P·V with an F16 cache.
 *   <li>bitnet.cpp's older tinyBLAS multiplies F16 by float32, so those stay float32 on batches and are
 *       rounded to f16 only for a single token.
 * </ul>
 * Q·K with an F16 cache rounds Q to f16 in both (Q is not contiguous, so it is converted first); bitnet.cpp
 * then always uses {@code vec_dot_f16}, having no F16×F16 tinyBLAS. Both reference builds are AVX-512.
 * Not reproduced: BF16 products (the peers use AVX-512 BF16 pair instructions; ours agree to rounding only).
 *
 * <p>{@link #FAST} reproduces no one's summation order: activations take llama.cpp's forms (so integer
 * products are the same integers) but weight products are summed in whatever order the bound kernel finds
 * fastest ({@link Summation.Routine#KERNEL_ORDER}); attention rounds Q and the probabilities as llama.cpp does but
 * sums Q·K and P·V in one vectorized order. It differs from {@link #LLAMA_CPP} by float rounding only.
 */
public enum Numerics {
    /** llama.cpp c392e50 as built for the reference data (GCC, AVX-512 apart from its AVX2-only TQ kernels). */
    LLAMA_CPP(GgmlSimd.AVX512),
    /** bitnet.cpp 01eb415 as built for the reference data (clang, {@code -march=native}, AVX-512). */
    BITNET_CPP(GgmlSimd.AVX512),
    /**
     * Speed first: llama.cpp's activation forms, but weight products summed in each kernel's own order
     * (vectorized kernels over repacked weights) and attention's products vectorized. Agrees with
     * {@link #LLAMA_CPP} to float rounding.
     */
    FAST(GgmlSimd.AVX512);

    private final GgmlSimd simd;
    /** One {@link Summation} per routine, made once: the decode loop must not allocate. */
    private final Summation[] summations;

    Numerics(GgmlSimd simd) {
        this.simd = simd;
        this.summations = new Summation[Summation.Routine.values().length];
        for (Summation.Routine r : Summation.Routine.values()) {
            summations[r.ordinal()] = new Summation(r, simd);
        }
    }

    /** The vector width whose summation orders the peer's build has. */
    public GgmlSimd simd() {
        return simd;
    }

    /** The activation form for multiplying {@code w} by {@code rows} activation rows. */
    ActivationType activationFor(WeightMatrix w, int rows) {
        ActivationType t = this == FAST ? w.fastActivationType() : w.activationType();
        return t == ActivationType.F16 && this == BITNET_CPP && tinyBlas(rows, w.cols()) ? ActivationType.F32 : t;
    }

    /** The summation order of a float product of {@code w} with {@code rows} activation rows. */
    Summation summationFor(WeightMatrix w, int rows) {
        if (this == FAST) {
            return sum(Summation.Routine.KERNEL_ORDER);
        }
        if (tinyBlas(rows, w.cols())) {
            return sum(Summation.Routine.TINY_BLAS);
        }
        return sum(activationFor(w, rows) == ActivationType.F16 ? Summation.Routine.VEC_DOT_F16 : Summation.Routine.VEC_DOT_F32);
    }

    /** How Q·K is summed for {@code queryRows} queries of {@code headDim}. */
    Summation keyQuerySummation(boolean f16Cache, int queryRows, int headDim) {
        if (this == FAST) {
            return sum(Summation.Routine.KERNEL_ORDER); // vectorized, one fixed order
        }
        if (!f16Cache) {
            return sum(Summation.Routine.VEC_DOT_F32); // Q is not contiguous and needs no conversion: vec_dot
        }
        boolean tiny = this != BITNET_CPP && tinyBlas(queryRows, headDim);
        return sum(tiny ? Summation.Routine.TINY_BLAS : Summation.Routine.VEC_DOT_F16);
    }

    /** How P·V is summed for {@code queryRows} queries over a KV view of {@code viewLength} positions. */
    Summation probabilityValueSummation(boolean f16Cache, int queryRows, int viewLength) {
        if (this == FAST) {
            return sum(Summation.Routine.KERNEL_ORDER);
        }
        if (tinyBlas(queryRows, viewLength)) {
            return sum(Summation.Routine.TINY_BLAS);
        }
        return sum(f16Cache ? Summation.Routine.VEC_DOT_F16 : Summation.Routine.VEC_DOT_F32);
    }

    /** Whether the attention probabilities are rounded to f16 before P·V (only ever with an F16 cache). */
    boolean roundsProbabilities(boolean f16Cache, int queryRows, int viewLength) {
        return f16Cache && (this != BITNET_CPP || !tinyBlas(queryRows, viewLength));
    }

    /** llamafile's rule: prompt processing only (2+ rows), whole vectors along the summed axis. */
    private boolean tinyBlas(int rows, int length) {
        return rows >= 2 && length % simd.lanes() == 0;
    }

    private Summation sum(Summation.Routine r) {
        return summations[r.ordinal()];
    }

    /**
     * The peer a model is most likely compared with: bitnet.cpp for {@code bitnet-b1.58} or any I2_S tensor
     * (only bitnet.cpp runs those), llama.cpp otherwise.
     */
    static Numerics defaultFor(ModelConfig config, ModelWeights weights) {
        if (config.architecture() == Architecture.BITNET_B158) {
            return BITNET_CPP;
        }
        boolean i2s = weights.layers().stream().anyMatch(l -> l.q().weight().type() == GgmlType.I2_S);
        return i2s ? BITNET_CPP : LLAMA_CPP;
    }
}
