package io.bitnet4j.model;

import io.bitnet4j.kernel.FloatRows;
import io.bitnet4j.kernel.GgmlSimd;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The activation of the gated feed-forward network, {@code act(gate) · up}, each step in float32 as ggml's
 * element-wise ops compute it.
 */
public enum FfnActivation {
    /** {@code x / (1 + e^-x)}: llama, and llama.cpp's {@code bitnet} unless the file says otherwise. */
    SILU,
    /** {@code relu(x)²}, computed as relu then {@code x·x}: BitNet b1.58 2B-4T ({@code "hidden_act": "relu2"}). */
    RELU_SQR,
    /** {@code max(x, 0)}. */
    RELU,
    /** The tanh approximation of GELU (ggml evaluates it through an f16 table, so this agrees to rounding only). */
    GELU;

    /**
     * Spellings of {@code <arch>.hidden_activation} (and of Hugging Face's {@code hidden_act}) we know: llama.cpp
     * maps silu/swish/swiglu, gelu/geglu, relu/reglu; BitNet's config says relu2; relu_sqr and the like name
     * llama.cpp's {@code LLM_FFN_RELU_SQR}.
     */
    private static final Map<String, FfnActivation> SPELLINGS = Map.ofEntries(
            Map.entry("silu", SILU), Map.entry("swish", SILU), Map.entry("swiglu", SILU),
            Map.entry("relu2", RELU_SQR), Map.entry("relu_sqr", RELU_SQR), Map.entry("relu_squared", RELU_SQR),
            Map.entry("squared_relu", RELU_SQR), Map.entry("relu²", RELU_SQR),
            Map.entry("relu", RELU), Map.entry("reglu", RELU),
            Map.entry("gelu", GELU), Map.entry("geglu", GELU), Map.entry("gelu_pytorch_tanh", GELU));

    /** The activation called {@code name} (case-insensitive); throws naming {@code key} and the known spellings. */
    public static FfnActivation parse(String name, String key) {
        FfnActivation a = SPELLINGS.get(name.trim().toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("GGUF key '" + key + "' = '" + name + "' is not an FFN activation we know; known: "
                    + new TreeSet<>(SPELLINGS.keySet()));
        }
        return a;
    }

    /**
     * {@code gate[i] = act(gate[i]) · up[i]} for {@code rows} rows of {@code n}. SiLU uses ggml's vectorized
     * form ({@link GgmlSimd#silu}) on whole vectors of each row and glibc's {@code expf} on the rest, as
     * {@code ggml_vec_silu_f32} does; its output feeds a rounding (sub-norm, then int8), so the last bit matters.
     * SiLU at AVX-512 and squared ReLU go to {@code ops}' vector loops, which give the same floats as the scalar ones.
     */
    void applyGated(float[] gate, float[] up, int rows, int n, GgmlSimd simd, FloatRows ops) {
        for (int r = 0; r < rows; r++) {
            int from = r * n;
            int vectorEnd = from + n - n % simd.lanes();
            switch (this) {
                case RELU_SQR -> ops.reluSquaredTimes(gate, up, from, n);
                case SILU -> {
                    int i = from;
                    if (simd == GgmlSimd.AVX512) {
                        ops.siluTimes(gate, up, from, vectorEnd - from);
                        i = vectorEnd;
                    }
                    for (; i < from + n; i++) {
                        float x = gate[i];
                        gate[i] = (i < vectorEnd ? simd.silu(x) : x / (1.0f + GlibcMath.exp(-x))) * up[i];
                    }
                }
                case RELU -> {
                    for (int i = from; i < from + n; i++) {
                        gate[i] = (gate[i] > 0f ? gate[i] : 0f) * up[i]; // ggml's relu: 0 for -0 and NaN too
                    }
                }
                case GELU -> {
                    for (int i = from; i < from + n; i++) {
                        float x = gate[i];
                        gate[i] = 0.5f * x * (1.0f + (float) Math.tanh(0.7978845608f * x * (1.0f + 0.044715f * x * x))) * up[i];
                    }
                }
            }
        }
    }
}
