package io.bitnet4j.cli;

import io.bitnet4j.convert.Architectures;
import io.bitnet4j.convert.ConvertOptions;
import io.bitnet4j.convert.Conversion;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j convert IN -o OUT --type T}: re-encodes a model. Linear weights take the target type (each format's
 * own quantizer from float, trit for trit between ternary formats), norms stay F32, the embedding and output head
 * take their own types.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Re-encode a model as GGUF: from GGUF, a Hugging Face checkpoint (directory, .safetensors or its "
                    + "index), or a llama2.c .bin checkpoint. Ternary targets keep every trit of ternary inputs; float "
                    + "weights go through the target's reference quantizer (llama.cpp's for TQ1_0/TQ2_0, bitnet.cpp's "
                    + "for I2_S).",
            "",
            "Architectures: bitnet-b1.58 (bitnet.cpp, BitNet 2B-4T, squared-ReLU FFN) and bitnet (llama.cpp) "
                    + "have the same tensors; --arch renames one into the other. Converted to bitnet and TQ1_0/TQ2_0, "
                    + "Microsoft's I2_S files load in llama.cpp, but llama.cpp computes SiLU in the FFN of arch bitnet, "
                    + "not the squared ReLU the model was trained with: it runs, with a different activation. See "
                    + "docs/convert.md.",
        })
final class ConvertCommand implements Callable<Integer> {
    @Mixin
    InputOptions in;

    @Mixin
    OutputOptions out;

    @Option(names = "--type", required = true, paramLabel = "TYPE", converter = TypeOption.class,
            description = "Linear weights: tq2_0|tq1_0|i2_s|f16|bf16|f32|q8_0.")
    GgmlType type;

    @Option(names = "--embedding-type", paramLabel = "TYPE", converter = TypeOption.class,
            description = "Token embedding (default: f16 for ternary targets, else the target).")
    GgmlType embeddingType;

    @Option(names = "--output-type", paramLabel = "TYPE", converter = TypeOption.class,
            description = "Output head, when not tied (default: like the embedding).")
    GgmlType outputType;

    @Option(names = "--fallback-type", paramLabel = "TYPE", converter = TypeOption.class, defaultValue = "f16",
            description = "Linear weights whose rows the target cannot hold (default: ${DEFAULT-VALUE}).")
    GgmlType fallbackType;

    @Option(names = "--arch", paramLabel = "ARCH", description = "Write architecture bitnet or bitnet-b1.58 (renames keys).")
    String architecture;

    @Option(names = "--vocab", paramLabel = "FILE", description = "Take the tokenizer.* keys from this GGUF file.")
    Path vocab;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TypeOption.require(type, TypeOption.WRITABLE, "--type");
        for (GgmlType t : new GgmlType[] {embeddingType, outputType, fallbackType}) {
            if (t != null) {
                TypeOption.require(t, TypeOption.WRITABLE, "a tensor type");
            }
        }
        if (architecture != null && !architecture.equals(Architectures.BITNET) && !architecture.equals(Architectures.BITNET_B158)) {
            throw new IllegalArgumentException("--arch " + architecture + ": use bitnet or bitnet-b1.58");
        }
        Optional<Map<String, GgufValue>> vocabulary = vocab == null ? Optional.empty() : Optional.of(Conversion.vocabularyOf(vocab));
        ConvertOptions options = new ConvertOptions(type, Optional.ofNullable(embeddingType), Optional.ofNullable(outputType), fallbackType,
                Optional.ofNullable(architecture));
        ModelJob.run(spec, in, out, Optional.ofNullable(architecture),
                (src, progress, warnings) -> Conversion.convert(src, out.output, options, vocabulary, progress, warnings), report -> { });
        return 0;
    }
}
