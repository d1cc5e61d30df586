package io.bitnet4j.cli;

import io.bitnet4j.convert.LayerSelection;
import io.bitnet4j.convert.ModelConverter;
import io.bitnet4j.convert.QuantStats;
import io.bitnet4j.convert.Quantization;
import io.bitnet4j.convert.QuantizeOptions;
import io.bitnet4j.convert.ScaleOptimizer;
import io.bitnet4j.convert.SourceTensor;
import io.bitnet4j.gguf.GgmlType;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./bitnet4j quantize IN -o OUT --type T}: post-training ternarization of a float model, with a report per layer. */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Ternarize a float model after training: each selected linear weight by absmean with one scale "
                    + "per tensor (BitNet's weight_quant), written as TQ2_0, TQ1_0 or I2_S. Embeddings, the output "
                    + "head, routers and unselected layers keep the --keep precision; norms stay F32. Prints the "
                    + "relative RMS error, the sparsity and the scale of every ternarized tensor.",
        })
final class QuantizeCommand implements Callable<Integer> {
    enum Scales { absmean, lsq }

    @Mixin
    InputOptions in;

    @Mixin
    OutputOptions out;

    @Option(names = "--type", required = true, paramLabel = "TYPE", converter = TypeOption.class, description = "tq2_0|tq1_0|i2_s.")
    GgmlType type;

    @Option(names = "--layers", paramLabel = "SPEC", defaultValue = "all",
            description = "all (every linear weight), experts (MoE experts only), or name patterns such as blk.*.ffn_*,attn_q (default: ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--keep", paramLabel = "TYPE", converter = TypeOption.class, defaultValue = "f16",
            description = "f16|bf16|f32 for the tensors not ternarized (default: ${DEFAULT-VALUE}).")
    GgmlType keep;

    @Option(names = "--scale", paramLabel = "METHOD", defaultValue = "absmean",
            description = "absmean (BitNet's scale) or lsq (refit each scale by least squares for the chosen trits) (default: ${DEFAULT-VALUE}).")
    Scales scales;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TypeOption.require(type, TypeOption.TERNARY, "--type");
        TypeOption.require(keep, List.of(GgmlType.F16, GgmlType.BF16, GgmlType.F32), "--keep");
        QuantizeOptions options = new QuantizeOptions(type, LayerSelection.parse(layers), keep,
                scales == Scales.lsq ? ScaleOptimizer.LEAST_SQUARES : ScaleOptimizer.NONE);
        List<QuantStats> stats = new ArrayList<>();
        ModelJob.run(spec, in, out, Optional.empty(), (src, progress, warnings) -> Quantization.quantize(src, out.output, options,
                new ModelConverter.Listener() {
                    @Override
                    public void finished(ModelConverter.TensorResult r, SourceTensor prepared) {
                        Quantization.stats(prepared).ifPresent(stats::add);
                        progress.finished(r, prepared);
                    }
                }, warnings), report -> printStats(report, stats));
        return 0;
    }

    static void printStats(PrintWriter out, List<QuantStats> stats) {
        int width = Math.max(6, stats.stream().mapToInt(s -> s.tensor().length()).max().orElse(0));
        out.printf("%-" + width + "s  %12s  %9s  %10s  %8s%n", "tensor", "elements", "rel. RMS", "sparsity", "scale");
        double err = 0;
        double sparsity = 0;
        long n = 0;
        for (QuantStats s : stats) {
            out.printf("%-" + width + "s  %,12d  %9.4f  %10.4f  %8.5f%n", s.tensor(), s.elements(), s.relativeRmsError(), s.sparsity(), s.scale());
            err += s.relativeRmsError() * s.elements();
            sparsity += s.sparsity() * s.elements();
            n += s.elements();
        }
        if (n > 0) {
            out.printf("%d tensors ternarized: relative RMS error %.4f, sparsity %.4f (weighted by size)%n", stats.size(), err / n, sparsity / n);
        }
    }
}
