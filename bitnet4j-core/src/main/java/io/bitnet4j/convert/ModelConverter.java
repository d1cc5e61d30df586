package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.gguf.TensorCodec;
import io.bitnet4j.gguf.TernarySource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes a GGUF file from metadata and source tensors, each in the type a {@link Plan} chooses, streaming tensor by
 * tensor (and within a tensor, chunk by chunk) into a temporary file that replaces the target only when complete.
 *
 * <p>Which type each tensor gets is a {@link Plan}'s choice, made by the caller before writing (so that the metadata can
 * depend on it). Each tensor takes the most exact path available: its stored bytes when the type does not change
 * ({@link Mode#COPY}); trits and scales when both sides are ternary ({@link Mode#TERNARY}, every trit kept); otherwise
 * its float values through the target type's own quantizer ({@link Mode#FLOAT}).
 */
public final class ModelConverter {
    /** How a tensor was written. */
    public enum Mode { COPY, TERNARY, FLOAT }

    /** What tensors become. */
    public interface Plan {
        /** The output type of {@code tensor}. */
        GgmlType typeOf(SourceTensor tensor);

        /** The tensor to write in its place (e.g. ternarized); called once, just before it is written. */
        default SourceTensor prepare(SourceTensor tensor) {
            return tensor;
        }

        /** The output type of every tensor, in order. */
        default List<GgmlType> types(List<SourceTensor> tensors) {
            return tensors.stream().map(this::typeOf).toList();
        }
    }

    /** Progress and results, tensor by tensor. */
    public interface Listener {
        default void started(int index, int count, SourceTensor tensor, GgmlType type) {}

        /** {@code prepared} is what {@link Plan#prepare} returned, before its cached data is released. */
        default void finished(TensorResult result, SourceTensor prepared) {}
    }

    /**
     * One written tensor.
     *
     * @param from       the stored type, if it had one
     * @param scaleError for {@link Mode#TERNARY}, the relative RMS change the target's scales caused (0 when exact)
     */
    public record TensorResult(String name, Optional<GgmlType> from, GgmlType to, Mode mode, long elements, long bytes, double scaleError) {}

    private ModelConverter() {}

    /**
     * Writes {@code out}: the metadata, then tensor {@code i} as {@code types.get(i)}, each passed through
     * {@code prepare} just before it is written. Returns what became of each tensor, in order.
     */
    public static List<TensorResult> write(Map<String, GgufValue> metadata, List<SourceTensor> tensors, List<GgmlType> types,
                                           UnaryOperator<SourceTensor> prepare, Path out, Listener listener) throws IOException {
        if (types.size() != tensors.size()) {
            throw new IllegalArgumentException(tensors.size() + " tensors but " + types.size() + " types");
        }
        for (int i = 0; i < tensors.size(); i++) {
            requireWritable(tensors.get(i), types.get(i));
        }
        List<TensorResult> results = new ArrayList<>();
        try (GgufWriter w = GgufWriter.create(out)) {
            metadata.forEach(w::put);
            for (int i = 0; i < tensors.size(); i++) {
                w.addTensor(tensors.get(i).name(), types.get(i), tensors.get(i).dims());
            }
            for (int i = 0; i < tensors.size(); i++) {
                SourceTensor source = tensors.get(i);
                GgmlType type = types.get(i);
                listener.started(i, tensors.size(), source, type);
                SourceTensor prepared = prepare.apply(source);
                TensorResult r = writeOne(w, prepared, type);
                listener.finished(r, prepared);
                prepared.release();
                source.release();
                results.add(r);
            }
            w.finish();
        }
        return results;
    }

    private static TensorResult writeOne(GgufWriter w, SourceTensor t, GgmlType type) throws IOException {
        long bytes = type.byteSize(t.elements());
        if (t.storedType().equals(Optional.of(type))) {
            w.writeTensor(t.name(), t.raw().orElseThrow());
            return new TensorResult(t.name(), t.storedType(), type, Mode.COPY, t.elements(), bytes, 0);
        }
        TensorCodec codec = TensorCodec.of(type);
        Optional<TernarySource> trits = codec.isTernary() ? t.ternary() : Optional.empty();
        if (trits.isPresent()) {
            double[] error = {0};
            w.writeTensor(t.name(), channel -> error[0] = codec.encodeTernary(trits.get(), channel));
            return new TensorResult(t.name(), t.storedType(), type, Mode.TERNARY, t.elements(), bytes, error[0]);
        }
        w.writeTensor(t.name(), channel -> codec.encode(t.rows(), channel));
        return new TensorResult(t.name(), t.storedType(), type, Mode.FLOAT, t.elements(), bytes, 0);
    }

    /** Fails before anything is written if {@code type} cannot be produced for {@code t}. */
    private static void requireWritable(SourceTensor t, GgmlType type) {
        if (t.storedType().equals(Optional.of(type))) {
            return;
        }
        if (!TensorCodec.isSupported(type) || !TensorCodec.of(type).canEncode()) {
            throw new IllegalArgumentException("cannot write tensor '" + t.name() + "' as " + type
                    + ": bitnet4j encodes only F32, F16, BF16, Q8_0, TQ1_0, TQ2_0 and I2_S");
        }
        if (!TensorCodec.of(type).acceptsRowLength(t.dims()[0])) {
            throw new IllegalArgumentException("cannot write tensor '" + t.name() + "' as " + type + ": its row length " + t.dims()[0]
                    + " is not a multiple of " + (type == GgmlType.I2_S ? 128 : type.blockSize()));
        }
    }
}
