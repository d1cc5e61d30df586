package io.bitnet4j.model;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * End-to-end decode speed, as llama-bench's {@code -p 0 -n N} measures it: tokens fed one at a time through
 * the cache, timed per run, several runs after a warm-up, reporting the median and best tokens per second.
 * Not a JMH benchmark (one run is seconds long and the model is loaded once).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar io.bitnet4j.model.DecodeTiming FILE
 *      [threads=2] [numerics=fast|auto|llama.cpp|bitnet.cpp] [tokens=32] [runs=5] [profile]</pre>
 * With {@code profile} it then splits a decode step's time by layer type ({@link DecodeProfile}).
 * {@code -Dbitnet4j.kernels=scalar} times the scalar kernels. On one thread the rates are per second of the thread's
 * CPU time (see {@link DecodeProfile}).
 */
public final class DecodeTiming {
    private DecodeTiming() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DecodeTiming FILE [threads] [fast|auto|llama.cpp|bitnet.cpp] [tokens] [runs] [profile]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String numerics = args.length > 2 ? args[2] : "fast";
        int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        boolean profile = args.length > 5 && args[5].equals("profile");
        long loadStart = System.nanoTime();
        try (GgufFile f = GgufFile.open(file)) {
            Model m = Model.load(f, MatrixKernels.defaults().withThreads(threads));
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            SessionOptions o = SessionOptions.defaults().withThreads(threads).withContextLength(tokens + 1).withBatchSize(1)
                    .withNumerics(switch (numerics) {
                        case "fast" -> Numerics.FAST;
                        case "llama.cpp" -> Numerics.LLAMA_CPP;
                        case "bitnet.cpp" -> Numerics.BITNET_CPP;
                        default -> null;
                    });
            double[] rates = new double[runs];
            try (Session s = m.newSession(o)) {
                decode(s, tokens); // warm-up: JIT compilation
                for (int r = 0; r < runs; r++) {
                    s.reset();
                    long start = DecodeProfile.now(threads);
                    decode(s, tokens);
                    rates[r] = tokens / ((DecodeProfile.now(threads) - start) / 1e9);
                }
                Arrays.sort(rates);
                System.out.printf(Locale.ROOT, "%s threads=%d numerics=%s kernels=%s: load %.1f s, decode %d tokens: median %.2f t/s, best %.2f t/s%n",
                        file.getFileName(), threads, s.numerics(), System.getProperty(MatrixKernels.PROPERTY, "vector"),
                        loadSeconds, tokens, rates[runs / 2], rates[runs - 1]);
                System.out.println("read-ahead per kernel (bytes, -1 = still tuning): " + s.readAheadDistances());
                if (profile) {
                    double step = 1 / rates[runs / 2];
                    DecodeProfile.Split p = new DecodeProfile(m, s.numerics()).measure(threads, tokens);
                    System.out.printf(Locale.ROOT, "one decode step %.1f ms: attention projections %.1f ms (%.0f%%), feed-forward %.1f ms "
                            + "(%.0f%%), head %.1f ms (%.0f%%), attention and the rest %.1f ms (%.0f%%)%n", step * 1e3,
                            p.attentionProjections() * 1e3, 100 * p.attentionProjections() / step, p.feedForward() * 1e3,
                            100 * p.feedForward() / step, p.head() * 1e3, 100 * p.head() / step, (step - p.products()) * 1e3,
                            100 * (step - p.products()) / step);
                }
            }
        }
    }

    private static void decode(Session s, int n) {
        int token = 1;
        int vocab = s.config().vocabSize();
        for (int i = 0; i < n; i++) {
            float[] logits = s.forward(token);
            token = Math.floorMod(Float.floatToIntBits(logits[i % vocab]) + i, vocab); // depends on the output
        }
    }
}
