package io.bitnet4j.cli;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.model.KvCacheType;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j bench -m FILE}: llama-bench's measurement on our engine (see {@link EngineBench}) and its table, or
 * its JSON with {@code --json}; with {@code --compare LLAMA_BENCH}, that executable's runs on the same file alternate with
 * ours, run for run, and each row gets the ratio.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prompt (pp) and generation (tg) speed in tokens per second, mean ± standard deviation over -r runs "
                + "after one warm-up run, as llama-bench measures and prints it.",
            "With --compare PATH_TO_LLAMA_BENCH, llama-bench (llama.cpp's or bitnet.cpp's) runs the same tests on the same "
                + "file, alternating with ours, and the ratio of the medians is printed."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N[,N...]", split = ",", defaultValue = "512",
            description = "Prompt lengths; 0 = no prompt test (default: ${DEFAULT-VALUE}).")
    int[] prompts;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N[,N...]", split = ",", defaultValue = "128",
            description = "Generation lengths; 0 = no generation test (default: ${DEFAULT-VALUE}).")
    int[] gens;

    @Option(names = {"-t", "--threads"}, paramLabel = "N[,N...]", split = ",",
            description = "Thread counts (default: one per processor).")
    int[] threads;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "5",
            description = "Timed runs per test (default: ${DEFAULT-VALUE}, as llama-bench).")
    int repetitions;

    @Option(names = {"-ub", "--ubatch-size"}, paramLabel = "N", defaultValue = "512",
            description = "Prompt tokens pushed through the layers together (default: ${DEFAULT-VALUE}, llama-bench's n_ubatch).")
    int batch;

    @Option(names = "--kv", paramLabel = "f16|f32", defaultValue = "f16", description = "KV cache type (default: ${DEFAULT-VALUE}).")
    String kv;

    @Mixin
    NumericsOption numerics;

    @Option(names = "--json", description = "Print a JSON array with llama-bench's field names (the table goes to stderr).")
    boolean json;

    @Option(names = "--compare", paramLabel = "LLAMA_BENCH",
            description = "Path of a llama-bench executable to run on the same file, alternating with our runs.")
    Path compare;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int[] threadCounts = threads != null ? threads : new int[] {Runtime.getRuntime().availableProcessors()};
        List<BenchTest> tests = BenchTest.of(prompts, gens, threadCounts);
        if (repetitions < 1) {
            throw new IllegalArgumentException("-r must be at least 1, not " + repetitions);
        }
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "no such model file");
        }
        KvCacheType kvType = LogitsCommand.kvCacheType(kv);
        LlamaBenchPeer peer = compare == null ? null : new LlamaBenchPeer(compare, model, kvType == KvCacheType.F32);
        int context = tests.stream().mapToInt(BenchTest::tokens).max().orElseThrow();
        SessionOptions options = SessionOptions.defaults().withKvCacheType(kvType).withContextLength(context)
                .withBatchSize(batch).withNumerics(numerics.resolve("fast"));
        PrintWriter out = TextOut.stdout();
        PrintWriter err = spec.commandLine().getErr();
        try (GgufFile f = GgufFile.open(model)) {
            // the tests come grouped by thread count, and each group gets the model loaded for its threads: the
            // repacked layouts are arranged for a thread count (MatrixKernels.withThreads), as `run -t N` loads them
            Model m = null;
            int loadedFor = 0;
            List<BenchReport.Result> results = new ArrayList<>();
            PrintWriter table = json ? err : out; // with --json the rows still show progress, on stderr
            BenchReport report = null;
            EngineBench engine = null;
            try {
                for (BenchTest test : tests) {
                    if (test.threads() != loadedFor) {
                        if (engine != null) {
                            engine.close();
                        }
                        m = null;
                        engine = null;
                        System.gc(); // the last thread count's layouts are freed when collected: before the next are made
                        m = Model.load(f, MatrixKernels.defaults().withThreads(test.threads()));
                        engine = new EngineBench(m, options);
                        loadedFor = test.threads();
                    }
                    if (report == null) {
                        report = new BenchReport(modelInfo(f, m, options, kvType), peer != null);
                        report.header(table);
                    }
                    err.printf(Locale.ROOT, "bench: %s at %d thread(s)%s%n", test.name(), test.threads(), peer == null ? "" : ", alternating with llama-bench");
                    err.flush();
                    engine.run(test); // warm-up: compiles the kernels, fills the caches, tunes the read-ahead
                    if (test.nGen() > 0) {
                        err.printf(Locale.ROOT, "bench: read-ahead per kernel at %d thread(s): %s%n", test.threads(), engine.readAhead(test.threads()));
                    }
                    double[] ours = new double[repetitions];
                    double[] theirs = new double[repetitions];
                    for (int r = 0; r < repetitions; r++) {
                        ours[r] = engine.run(test);
                        if (peer != null) {
                            theirs[r] = peer.run(test);
                        }
                    }
                    BenchReport.Result result = new BenchReport.Result(test, new BenchSamples(ours),
                            peer == null ? null : new BenchSamples(theirs));
                    results.add(result);
                    report.row(table, result);
                }
            } finally {
                if (engine != null) {
                    engine.close();
                }
            }
            if (json) {
                out.println(report.json(results));
            } else if (peer != null && !peer.modelType().isEmpty()) {
                out.println();
                out.println("llama-bench model_type: " + peer.modelType());
            }
            out.flush();
        }
        return 0;
    }

    private BenchReport.ModelInfo modelInfo(GgufFile f, Model m, SessionOptions options, KvCacheType kvType) {
        long bytes = 0;
        long params = 0;
        Map<GgmlType, Long> layerBytes = new EnumMap<>(GgmlType.class);
        for (GgufTensor t : f.tensors()) {
            bytes += t.byteSize();
            params += t.nElements();
            if (t.name().startsWith("blk.") && t.rank() == 2) {
                layerBytes.merge(t.type(), t.byteSize(), Long::sum);
            }
        }
        String type = layerBytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> " " + e.getKey().name()).orElse("");
        String numericsName = NumericsOption.label(options.numerics() != null ? options.numerics() : m.defaultNumerics());
        return new BenchReport.ModelInfo(model.toString(), m.config().architecture().ggufName() + type, bytes, params,
                numericsName, kvType.name().toLowerCase(Locale.ROOT), batch, Boolean.getBoolean(MatrixKernels.INT8_F16_PROPERTY));
    }
}
