package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.TensorCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Post-training ternary quantization of a float model ({@code ./bitnet4j quantize}): each selected tensor is
 * ternarized by absmean with one scale per tensor ({@link AbsmeanTensor#BITNET_WEIGHT_QUANT}), its scale optionally
 * refined ({@link ScaleOptimizer}), and written in the target type. For TQ1_0/TQ2_0 every 256-block then stores the
 * tensor's scale, rounded to fp16 (exactly where fp16 allows), and the trits unchanged; for I2_S the scale is stored
 * as it is. The statistics of each tensor reach the listener as {@link AbsmeanTensor#stats()} of the prepared tensor.
 */
public final class Quantization {
    private Quantization() {}

    public static List<ModelConverter.TensorResult> quantize(ModelSource source, Path out, QuantizeOptions options,
                                                             ModelConverter.Listener listener, Consumer<String> warnings) throws IOException {
        Plan plan = new Plan(options, warnings);
        List<GgmlType> types = plan.types(source.tensors());
        long selected = source.tensors().stream().filter(t -> options.layers().selects(t.name(), t.dims())).count();
        if (selected == 0) {
            throw new IllegalArgumentException("--layers " + options.layers() + " selects no tensor of " + source.description());
        }
        var md = Conversion.finish(source.metadataMap(), options.target(), types);
        return ModelConverter.write(md, source.tensors(), types, plan::prepare, out, listener);
    }

    /** Selected tensors take the target type and are ternarized just before writing; the rest keep a float type. */
    private record Plan(QuantizeOptions options, Consumer<String> warnings) implements ModelConverter.Plan {
        @Override
        public GgmlType typeOf(SourceTensor t) {
            if (t.dims().length == 1 || TensorRole.of(t.name(), t.dims()) == TensorRole.NORM) {
                return GgmlType.F32;
            }
            if (!options.layers().selects(t.name(), t.dims())) {
                return options.keep();
            }
            if (t.ternary().isPresent()) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is already ternary (" + t.storedType().map(Object::toString).orElse("")
                        + "); quantize takes a float model, use convert to change ternary formats");
            }
            if (!ternarizes(t)) {
                warnings.accept("tensor '" + t.name() + "': rows of " + t.dims()[0] + " do not fit " + options.target() + "; kept as " + options.keep());
                return options.keep();
            }
            return options.target();
        }

        @Override
        public SourceTensor prepare(SourceTensor t) {
            return ternarizes(t) ? new AbsmeanTensor(t, AbsmeanTensor.BITNET_WEIGHT_QUANT, options.scales()) : t;
        }

        private boolean ternarizes(SourceTensor t) {
            return options.layers().selects(t.name(), t.dims()) && TensorCodec.of(options.target()).acceptsRowLength(t.dims()[0]);
        }
    }

    /** The statistics of a written tensor, if it was ternarized. */
    public static Optional<QuantStats> stats(SourceTensor prepared) {
        return prepared instanceof AbsmeanTensor a ? a.stats() : Optional.empty();
    }
}
