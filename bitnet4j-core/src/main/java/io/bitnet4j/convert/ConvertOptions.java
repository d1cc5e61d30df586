package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import java.util.Optional;

/**
 * What {@link Conversion#convert} writes.
 *
 * @param target        the type of the linear weights, and {@code general.file_type}
 * @param embeddingType the token embedding's type; by default F16 for a ternary target (as llama.cpp's
 *                      {@code --token-embedding-type f16} and bitnet.cpp write it), else the target
 * @param outputType    the output head's type, defaulting like the embedding
 * @param fallbackType  the type of a linear weight whose rows the target cannot hold (e.g. rows of 3200 for TQ2_0)
 * @param architecture  a new architecture name ({@link Architectures#rename}), or empty to keep it
 */
public record ConvertOptions(GgmlType target, Optional<GgmlType> embeddingType, Optional<GgmlType> outputType, GgmlType fallbackType,
                             Optional<String> architecture) {

    /** Converting to {@code target} with every other choice at its default. */
    public static ConvertOptions to(GgmlType target) {
        return new ConvertOptions(target, Optional.empty(), Optional.empty(), GgmlType.F16, Optional.empty());
    }

    /** Whether {@code type} stores trits (TQ1_0, TQ2_0, I2_S). */
    public static boolean isTernary(GgmlType type) {
        return type == GgmlType.TQ1_0 || type == GgmlType.TQ2_0 || type == GgmlType.I2_S;
    }

    GgmlType embedding() {
        return embeddingType.orElse(isTernary(target) ? GgmlType.F16 : target);
    }

    GgmlType output() {
        return outputType.orElse(isTernary(target) ? GgmlType.F16 : target);
    }
}
