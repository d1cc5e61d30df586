package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Re-encoding a whole model ({@code ./bitnet4j convert}) and the metadata every written model gets.
 *
 * <p>The metadata is the source's, in its order, with: the architecture renamed if asked; the tokenizer replaced if a
 * vocabulary is given; {@code general.file_type} set to the target's llama.cpp number ({@link FileType}); and
 * {@code general.quantization_version = 2} when a tensor is written in a quantized type.
 */
public final class Conversion {
    /** ggml's {@code GGML_QNT_VERSION}. */
    public static final int QUANTIZATION_VERSION = 2;

    private Conversion() {}

    /**
     * Converts {@code source} to {@code out}.
     *
     * @param vocabulary tokenizer keys ({@code tokenizer.*}) to use instead of the source's, or empty
     * @param warnings   receives one line per thing the user should know (a fallback type, an inexact scale, ...)
     */
    public static List<ModelConverter.TensorResult> convert(ModelSource source, Path out, ConvertOptions options,
                                                            Optional<Map<String, GgufValue>> vocabulary, ModelConverter.Listener listener,
                                                            Consumer<String> warnings) throws IOException {
        ConvertPlan plan = new ConvertPlan(options, warnings);
        List<GgmlType> types = plan.types(source.tensors());
        Map<String, GgufValue> md = source.metadataMap();
        if (vocabulary.isPresent()) {
            md = withVocabulary(md, vocabulary.get(), source);
        }
        if (options.architecture().isPresent()) {
            md = Architectures.rename(md, options.architecture().get(), warnings);
        }
        md = finish(md, options.target(), types);
        List<ModelConverter.TensorResult> results = ModelConverter.write(md, source.tensors(), types, plan::prepare, out, listener);
        List<ModelConverter.TensorResult> changed = results.stream().filter(r -> r.scaleError() > 0).toList();
        changed.stream().max(java.util.Comparator.comparingDouble(ModelConverter.TensorResult::scaleError)).ifPresent(worst ->
                warnings.accept(String.format("%d tensors keep every trit, but the target's scales changed their values"
                        + " (relative RMS up to %.3g, in '%s')", changed.size(), worst.scaleError(), worst.name())));
        return results;
    }

    /** {@code metadata} with {@code general.file_type} for {@code mostly} and, if any type is quantized, the quantization version. */
    static Map<String, GgufValue> finish(Map<String, GgufValue> metadata, GgmlType mostly, List<GgmlType> types) {
        Map<String, GgufValue> md = new LinkedHashMap<>(metadata);
        md.put("general.file_type", GgufValue.u32(FileType.of(mostly)));
        if (types.stream().anyMatch(FileType::isQuantized)) {
            md.put("general.quantization_version", GgufValue.u32(QUANTIZATION_VERSION));
        } else {
            md.remove("general.quantization_version");
        }
        return md;
    }

    /** {@code metadata} with every {@code tokenizer.*} key replaced by {@code vocabulary}'s; the token count must match the embedding. */
    static Map<String, GgufValue> withVocabulary(Map<String, GgufValue> metadata, Map<String, GgufValue> vocabulary, ModelSource source) {
        if (!(vocabulary.get("tokenizer.ggml.tokens") instanceof GgufArray tokens)) {
            throw new IllegalArgumentException("the vocabulary has no tokenizer.ggml.tokens array");
        }
        for (SourceTensor t : source.tensors()) {
            if (t.name().equals("token_embd.weight") && t.dims().length == 2 && t.dims()[1] != tokens.length()) {
                throw new IllegalArgumentException("the vocabulary has " + tokens.length() + " tokens but token_embd.weight has "
                        + t.dims()[1] + " rows");
            }
        }
        Map<String, GgufValue> md = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (!k.startsWith("tokenizer.")) {
                md.put(k, v);
            }
        });
        md.putAll(vocabulary);
        return md;
    }

    /** The {@code tokenizer.*} keys of a GGUF file (typically a vocab-only one such as llama.cpp's {@code ggml-vocab-*.gguf}). */
    public static Map<String, GgufValue> vocabularyOf(Path gguf) throws IOException {
        try (var f = io.bitnet4j.gguf.GgufFile.open(gguf)) {
            Map<String, GgufValue> out = new LinkedHashMap<>();
            f.metadata().asMap().forEach((k, v) -> {
                if (k.startsWith("tokenizer.")) {
                    out.put(k, v);
                }
            });
            if (out.isEmpty()) {
                throw new IllegalArgumentException(gguf.getFileName() + " has no tokenizer.* keys");
            }
            return out;
        }
    }
}
