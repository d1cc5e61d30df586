package io.bitnet4j.cli;

import io.bitnet4j.gguf.GgmlType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Tensor type names on the command line ({@code tq2_0}, {@code f16}, ...), case-insensitive. */
final class TypeOption implements ITypeConverter<GgmlType> {
    /** The types a conversion writes. */
    static final List<GgmlType> WRITABLE = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.TQ1_0,
            GgmlType.TQ2_0, GgmlType.I2_S);
    /** The ternary types. */
    static final List<GgmlType> TERNARY = List.of(GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.I2_S);

    @Override
    public GgmlType convert(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        return Arrays.stream(GgmlType.values()).filter(t -> t.name().equals(upper)).findFirst()
                .orElseThrow(() -> new TypeConversionException("unknown tensor type '" + value + "'; use one of " + names(WRITABLE)));
    }

    /** {@code type}, or an error naming the option and the allowed types. */
    static GgmlType require(GgmlType type, List<GgmlType> allowed, String option) {
        if (!allowed.contains(type)) {
            throw new IllegalArgumentException(option + " " + type.name().toLowerCase(Locale.ROOT) + " is not possible here; use one of " + names(allowed));
        }
        return type;
    }

    static String names(List<GgmlType> types) {
        return types.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
    }
}
