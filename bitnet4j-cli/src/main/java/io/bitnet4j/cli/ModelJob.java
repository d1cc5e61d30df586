package io.bitnet4j.cli;

import io.bitnet4j.convert.ModelConverter;
import io.bitnet4j.convert.ModelInputs;
import io.bitnet4j.convert.ModelSource;
import io.bitnet4j.convert.SourceTensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/** What convert and quantize share: opening the input, a progress bar over its bytes, warnings, and the closing summary. */
final class ModelJob {
    /** The work itself; {@code progress} must see every finished tensor. */
    @FunctionalInterface
    interface Body {
        List<ModelConverter.TensorResult> run(ModelSource source, ModelConverter.Listener progress, Warnings warnings) throws IOException;
    }

    private ModelJob() {}

    /** Runs {@code body} on the input and prints {@code report} (may print nothing), then the summary, to stdout. */
    static void run(CommandSpec spec, InputOptions in, OutputOptions out, Optional<String> architecture, Body body,
                    Consumer<PrintWriter> report) throws IOException {
        String command = spec.name();
        Warnings warnings = new Warnings(spec.commandLine().getErr(), command);
        long start = System.nanoTime();
        try (ModelSource src = ModelInputs.open(in.input, Optional.ofNullable(in.tokenizer), architecture, warnings)) {
            long inputBytes = src.tensors().stream().mapToLong(ModelJob::storedBytes).sum();
            List<ModelConverter.TensorResult> results;
            try (Progress progress = Progress.start(command, inputBytes, "MB", 1 << 20, out.quiet)) {
                results = body.run(src, new ModelConverter.Listener() {
                    @Override
                    public void finished(ModelConverter.TensorResult result, SourceTensor prepared) {
                        progress.stepBy(storedBytes(prepared));
                    }
                }, warnings);
            }
            PrintWriter stdout = spec.commandLine().getOut();
            report.accept(stdout);
            Summary.print(stdout, out.output, results, inputBytes, System.nanoTime() - start);
        }
    }

    /** The bytes a tensor takes in its input file (4 per element when it is computed rather than stored). */
    static long storedBytes(SourceTensor t) {
        return t.raw().map(MemorySegment::byteSize).orElse(4 * t.elements());
    }
}
