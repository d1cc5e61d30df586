package io.bitnet4j.cli;

import io.bitnet4j.model.Model;
import io.bitnet4j.model.Session;
import io.bitnet4j.model.SessionOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times {@link BenchTest}s on our engine as llama-bench times them on its own: random tokens, the cache emptied before
 * every run, a prompt pushed through in batches, a generation one token at a time. One session per thread count, made
 * on first use and kept (its worker threads and buffers are not part of what is timed).
 */
final class EngineBench implements AutoCloseable {
    private final Model model;
    private final SessionOptions options;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom(42);

    /** {@code options} gives the KV type, numerics and batch size; its context must hold the longest test. */
    EngineBench(Model model, SessionOptions options) {
        this.model = model;
        this.options = options;
    }

    /** One timed run of {@code test}, in tokens per second. */
    double run(BenchTest test) {
        Session s = sessions.computeIfAbsent(test.threads(), t -> model.newSession(options.withThreads(t)));
        int vocab = model.config().vocabSize();
        s.reset();
        if (test.nPrompt() > 0) {
            int[] prompt = random.ints(test.nPrompt(), 0, vocab).toArray();
            long start = System.nanoTime();
            s.forward(prompt);
            return rate(test.nPrompt(), start);
        }
        long start = System.nanoTime();
        for (int i = 0; i < test.nGen(); i++) {
            s.forward(random.nextInt(vocab));
        }
        return rate(test.nGen(), start);
    }

    /**
     * The read-ahead distance of each kernel in the session for {@code threads} threads ({@link
     * Session#readAheadDistances}), as text: "F16VectorMatrix 0 B, TernaryLutMatrix 2048 B", "still tuning" for -1.
     */
    String readAhead(int threads) {
        Session s = sessions.get(threads);
        if (s == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        s.readAheadDistances().forEach((kernel, bytes) -> text.append(text.isEmpty() ? "" : ", ").append(kernel)
                .append(bytes < 0 ? " still tuning" : " " + bytes + " B"));
        return text.toString();
    }

    private static double rate(int tokens, long start) {
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        sessions.values().forEach(Session::close);
        sessions.clear();
    }
}
