package io.bitnet4j.cli;

import io.bitnet4j.convert.Conversion;
import io.bitnet4j.convert.SynthModel;
import io.bitnet4j.convert.SynthPreset;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./bitnet4j synth --preset P --type T -o FILE}: a model of a BitNet model's exact shape with random ternary weights. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Write a model with the shape and metadata of a BitNet model and random ternary weights (a third "
                    + "zeros), for benchmarks side by side with llama.cpp (tq1_0/tq2_0, arch bitnet or llama) and "
                    + "bitnet.cpp (i2_s). Presets: 2b4t (bitnet-b1.58-2B-4T), 700m (bitnet_b1_58-large), 3b "
                    + "(bitnet_b1_58-3B), 8b (Llama3-8B-1.58). Without --vocab the vocabulary is a made-up byte-level "
                    + "BPE of the right size.",
        })
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--preset", required = true, paramLabel = "NAME", description = "2b4t|700m|3b|8b.")
    String preset;

    @Option(names = "--type", required = true, paramLabel = "TYPE", converter = TypeOption.class, description = "tq2_0|tq1_0|i2_s.")
    GgmlType type;

    @Mixin
    OutputOptions out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--vocab", paramLabel = "FILE",
            description = "Take the tokenizer from this GGUF (e.g. ggml-vocab-llama-bpe.gguf for 2b4t/8b); its size must match.")
    Path vocab;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TypeOption.require(type, TypeOption.TERNARY, "--type");
        SynthPreset p = SynthPreset.named(preset);
        Optional<Map<String, GgufValue>> vocabulary = vocab == null ? Optional.empty() : Optional.of(Conversion.vocabularyOf(vocab));
        long start = System.nanoTime();
        SynthModel.Summary s;
        try (Progress progress = Progress.start("synth", 1, "MB", 1 << 20, out.quiet)) {
            s = SynthModel.write(p, type, seed, vocabulary, out.output, progress::stepTo, new Warnings(spec.commandLine().getErr(), "synth"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s: preset %s, arch %s, %s, %d tensors, %,d parameters, %,d bytes of tensors in %.2f s (%.2f GB/s)%n",
                out.output, p.name(), s.architecture(), type, s.tensors(), s.parameters(), s.bytes(), seconds, s.bytes() / 1e9 / seconds);
        stdout.flush();
        return 0;
    }
}
