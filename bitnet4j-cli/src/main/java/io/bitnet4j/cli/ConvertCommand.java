package io.bitnet4j.cli;

import io.bitnet4j.convert.Architectures;
import io.bitnet4j.convert.ConvertOptions;
import io.bitnet4j.convert.Conversion;
import io.bitnet4j.convert.ModelConverter;
import io.bitnet4j.convert.ModelInputs;
import io.bitnet4j.convert.ModelSource;
import io.bitnet4j.convert.SourceTensor;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j convert IN -o OUT --type T}: re-encodes a model. Linear weights take the target type (each format's
 * own quantizer from float, trit for trit between ternary formats), norms stay F32, the embedding and output head
 * take their own types.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Re-encode a model as GGUF: from GGUF, a Hugging Face checkpoint (directory, .safetensors or its index),",
            "or a llama2.c .bin checkpoint. Ternary targets keep every trit of ternary inputs; float weights go",
            "through the target's reference quantizer (llama.cpp's for TQ1_0/TQ2_0, bitnet.cpp's for I2_S).",
            "",
            "Architectures: bitnet-b1.58 (bitnet.cpp, BitNet 2B-4T, squared-ReLU FFN) and bitnet (llama.cpp) have the",
            "same tensors; --arch renames one into the other. Converted to bitnet and TQ1_0/TQ2_0, Microsoft's I2_S",
            "files load in llama.cpp, but llama.cpp computes SiLU in the FFN of arch bitnet, not the squared ReLU the",
            "model was trained with: it runs, with a different activation. See docs/convert.md.",
        })
final class ConvertCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IN", description = "Input: GGUF file, Hugging Face checkpoint, or llama2.c .bin.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output GGUF file.")
    Path output;

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

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "llama2.c tokenizer.bin (default: beside the .bin).")
    Path tokenizer;

    @Option(names = "--vocab", paramLabel = "FILE", description = "Take the tokenizer.* keys from this GGUF file.")
    Path vocab;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

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
        PrintWriter err = spec.commandLine().getErr();
        Warnings warnings = new Warnings(err, "convert");
        Optional<Map<String, GgufValue>> vocabulary = vocab == null ? Optional.empty() : Optional.of(Conversion.vocabularyOf(vocab));
        ConvertOptions options = new ConvertOptions(type, Optional.ofNullable(embeddingType), Optional.ofNullable(outputType), fallbackType,
                Optional.ofNullable(architecture));
        long start = System.nanoTime();
        try (ModelSource src = ModelInputs.open(input, Optional.ofNullable(tokenizer), Optional.ofNullable(architecture), warnings)) {
            long inputBytes = src.tensors().stream().mapToLong(ConvertCommand::storedBytes).sum();
            List<ModelConverter.TensorResult> results;
            try (Progress progress = Progress.start("convert", inputBytes, "MB", 1 << 20, quiet)) {
                results = Conversion.convert(src, output, options, vocabulary, new ModelConverter.Listener() {
                    @Override
                    public void started(int index, int count, SourceTensor tensor, GgmlType to) {
                        progress.stepBy(storedBytes(tensor));
                    }
                }, warnings);
            }
            Summary.print(spec.commandLine().getOut(), output, results, inputBytes, System.nanoTime() - start);
        }
        return 0;
    }

    /** The bytes a tensor takes in its input file (4 per element when it is computed rather than stored). */
    static long storedBytes(SourceTensor t) {
        return t.raw().map(java.lang.foreign.MemorySegment::byteSize).orElse(4 * t.elements());
    }
}
