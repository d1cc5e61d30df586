package io.bitnet4j.kernel;

/**
 * The form activations take before a weight matrix multiplies them. Peers do not multiply float32
 * activations by every weight type: ggml first converts the activation row to the weight type's
 * {@code vec_dot_type}, and bitnet.cpp quantizes it per token for I2_S. Reproducing that step is what
 * makes our outputs agree with theirs, so each {@link WeightMatrix} names the form it expects.
 */
public enum ActivationType {
    /** float32 as computed (F32 weights; also F16 weights in bitnet.cpp's multi-token sgemm path). */
    F32,
    /** Each value rounded to IEEE half precision, ties to even: ggml's {@code vec_dot_type} for F16 weights. */
    F16,
    /** Each value rounded to bfloat16, ties to even: ggml's {@code vec_dot_type} for BF16 weights. */
    BF16,
    /** llama.cpp's Q8_K: int8 per block of 256 with a float scale ({@link io.bitnet4j.format.Q8_K}), for TQ1_0/TQ2_0. */
    Q8_K,
    /** bitnet.cpp's int8 per token row with {@code s = 127/max|x|} ({@link io.bitnet4j.format.I2sMatmul}), for I2_S. */
    I8_PER_ROW
}
