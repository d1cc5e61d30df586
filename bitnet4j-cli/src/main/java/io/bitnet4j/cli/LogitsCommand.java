package io.bitnet4j.cli;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.model.KvCacheType;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.Session;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j logits -m FILE --tokens 1,2,3}: every position's logits for a token sequence, for
 * cross-checking against other engines. With {@code -o} they are written as float32 little-endian
 * {@code [tokens][vocab]} (the layout of the peer fixtures); without it a summary is printed: per position
 * the token, the argmax and its logit.
 */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Compute every position's logits for a token sequence (for cross-checks with other engines).")
final class LogitsCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "ID[,ID...]", description = "Token ids, comma-separated.")
    int[] tokens;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the logits here as float32 LE [tokens][vocab].")
    Path output;

    @Option(names = "--kv", paramLabel = "f16|f32", defaultValue = "f16",
            description = "KV cache type (default: ${DEFAULT-VALUE}, as llama.cpp).")
    String kv;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "Threads (default: one per processor).")
    int threads;

    @Mixin
    NumericsOption numerics;

    @Option(names = "--one-at-a-time",
            description = "Feed the tokens one by one through the cache, as generation does, instead of as one batch.")
    boolean oneAtATime;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Run N times (resetting the cache) and report the best time on stderr, as tokens per second.")
    int repeat;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1, not " + repeat);
        }
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "no such file");
        }
        SessionOptions options = SessionOptions.defaults()
                .withKvCacheType(kvCacheType(kv))
                .withThreads(threads)
                .withBatchSize(Math.max(1, tokens.length))
                .withNumerics(numerics.resolve("exact"));
        try (GgufFile f = GgufFile.open(model)) {
            Model m = Model.load(f, MatrixKernels.defaults().withThreads(options.resolvedThreads()));
            float[] logits = null;
            int vocab = m.config().vocabSize();
            long best = Long.MAX_VALUE;
            try (Session s = m.newSession(options)) {
                for (int run = 0; run < repeat; run++) {
                    s.reset();
                    long start = System.nanoTime();
                    logits = oneAtATime ? oneByOne(s, vocab) : s.forwardAll(tokens);
                    best = Math.min(best, System.nanoTime() - start);
                }
            }
            if (repeat > 1) {
                spec.commandLine().getErr().printf(Locale.ROOT, "%s: %d tokens in %.2f ms (best of %d runs): %.1f tokens/s%n",
                        oneAtATime ? "one at a time" : "one batch", tokens.length, best / 1e6, repeat, tokens.length / (best / 1e9));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output != null) {
                write(logits, output);
                out.printf(Locale.ROOT, "wrote %d × %d logits (float32 LE) to %s%n", tokens.length, vocab, output);
            } else {
                printSummary(logits, vocab, out);
            }
            out.flush();
        }
        return 0;
    }

    private float[] oneByOne(Session s, int vocab) {
        float[] all = new float[tokens.length * vocab];
        for (int t = 0; t < tokens.length; t++) {
            System.arraycopy(s.forward(tokens[t]), 0, all, t * vocab, vocab);
        }
        return all;
    }

    private void printSummary(float[] logits, int vocab, PrintWriter out) {
        out.printf("%5s  %8s  %8s  %12s%n", "pos", "token", "argmax", "top logit");
        for (int t = 0; t < tokens.length; t++) {
            int best = 0;
            for (int v = 1; v < vocab; v++) {
                if (logits[t * vocab + v] > logits[t * vocab + best]) {
                    best = v;
                }
            }
            out.printf(Locale.ROOT, "%5d  %8d  %8d  %12.6f%n", t, tokens[t], best, logits[t * vocab + best]);
        }
    }

    private static void write(float[] logits, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(logits.length, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(logits);
        Files.write(file, b.array());
    }

    static KvCacheType kvCacheType(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "f16" -> KvCacheType.F16;
            case "f32" -> KvCacheType.F32;
            default -> throw new IllegalArgumentException("--kv must be f16 or f32, not '" + name + "'");
        };
    }
}
