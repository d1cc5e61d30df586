package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.TensorCodec;
import java.util.function.Consumer;

/**
 * The types {@link Conversion#convert} gives each tensor: linear weights the target (or the fallback where their rows
 * do not fit it), norms and routers F32, the embedding and the output head their own types, anything else its stored
 * type.
 */
final class ConvertPlan implements ModelConverter.Plan {
    private final ConvertOptions options;
    private final Consumer<String> warnings;

    ConvertPlan(ConvertOptions options, Consumer<String> warnings) {
        this.options = options;
        this.warnings = warnings;
    }

    @Override
    public GgmlType typeOf(SourceTensor t) {
        return switch (TensorRole.of(t.name(), t.dims())) {
            case NORM, ROUTER -> GgmlType.F32;
            case TOKEN_EMBEDDING -> fitting(t, options.embedding());
            case OUTPUT -> fitting(t, options.output());
            case LINEAR -> fitting(t, options.target());
            case OTHER -> t.storedType().orElse(GgmlType.F32);
        };
    }

    /** {@code wanted}, or the fallback type (with a warning) when {@code t}'s rows do not fit it. */
    private GgmlType fitting(SourceTensor t, GgmlType wanted) {
        long row = t.dims()[0];
        if (TensorCodec.isSupported(wanted) && TensorCodec.of(wanted).acceptsRowLength(row)) {
            return wanted;
        }
        warnings.accept("tensor '" + t.name() + "': rows of " + row + " do not fit " + wanted + "; writing it as " + options.fallbackType());
        return options.fallbackType();
    }
}
