package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;

/**
 * {@code general.file_type}: llama.cpp's {@code llama_ftype}, the "mostly" type of a model file. The numbers are
 * llama.cpp's ({@code LLAMA_FTYPE_ALL_F32 = 0}, {@code MOSTLY_F16 = 1}, {@code MOSTLY_Q8_0 = 7},
 * {@code MOSTLY_BF16 = 32}, {@code MOSTLY_TQ1_0 = 36}, {@code MOSTLY_TQ2_0 = 37}) and bitnet.cpp's for I2_S (40, as
 * in Microsoft's {@code ggml-model-i2_s.gguf} and the files its {@code llama-quantize} writes).
 */
public final class FileType {
    private FileType() {}

    /** The file type of a model whose linear weights are {@code type}; throws for a type without one here. */
    public static int of(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case Q4_K -> 15; // MOSTLY_Q4_K_M, the usual Q4_K file type
            case Q6_K -> 18;
            case BF16 -> 32;
            case TQ1_0 -> 36;
            case TQ2_0 -> 37;
            case I2_S -> 40;
            default -> throw new IllegalArgumentException("no llama.cpp file type for " + type);
        };
    }

    /** Whether a file of tensors of {@code type} is "quantized" (gets {@code general.quantization_version}). */
    public static boolean isQuantized(GgmlType type) {
        return type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.BF16;
    }
}
