package io.bitnet4j.cli;

import io.bitnet4j.LayoutCacheSettings;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.LayoutCache;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.Session;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs one four-token prompt through the bundled tiny model on a thread of its own while a big model loads. A cold
 * JVM spends much of a big model's first prompt initializing the engine's classes (the Vector API's among them),
 * spinning their lambdas and running its kernels in the interpreter before they are compiled; the tiny model takes
 * the same code through those steps on the core the load leaves idle. Measured on a 2B-shaped file at two threads:
 * the load 0.3 s longer, the first prompt 0.5 s shorter, the first token 0.2 s sooner (docs/bench-log.md, session 13).
 * The products are the same either way: only which thread first runs the code changes.
 *
 * <p>The warm-up's prompt has the shape of the first prompt where the command knows it ({@link #tokensFor}): four
 * tokens (the four-token kernel a sentence's prompt runs), or one for a prompt of a word or two, which runs the one-token
 * kernel (or one padded pass of the four-token one). Measured on the 2B file with LLaMA 3's vocabulary, two threads,
 * whole runs alternating with a build that always warmed four tokens (docs/bench-log.md, session 26): the first token
 * of {@code -p hi} 1.152 against 1.248 s, of {@code -p Hello} 1.109 against 1.273; level on three and five tokens
 * ("hi there" 1.140 against 1.143, "Once upon a time" 1.212 against 1.222). On a 31-token prompt one token warmed was
 * 0.05 s later than four (1.310 against 1.258), so a longer prompt keeps four.
 *
 * <p>Nothing is warmed for models under {@link #MIN_MODEL_BYTES} (their first prompt is short, and the warm-up
 * would compete with it), for the bundled model itself, without a bundled model, or with {@code -D}{@value #PROPERTY}
 * {@code =off}. A warm-up that fails is only a warm-up: its error is kept for tests, never reported.
 */
final class JitWarmup {
    /** The system property that turns the warm-up off ({@code off}). */
    static final String PROPERTY = "bitnet4j.warmup";
    /** The smallest model file worth warming up for (a few hundred million ternary weights). */
    static final long MIN_MODEL_BYTES = 64L << 20;
    /** The warm-up prompt's tokens unless the command knows its first prompt: a sentence's shape. */
    static final int DEFAULT_TOKENS = 4;
    /** The longest first prompt (in chars) warmed with one token: a word or two, five tokens at most in the cases measured. */
    static final int SHORT_PROMPT_CHARS = 16;

    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean done;

    private JitWarmup(Path tiny, SessionOptions options, Optional<Path> layoutCache, int tokens) {
        // one thread, a short context: the same kernels, numerics and cache type as the big model's session
        SessionOptions warm = options.withThreads(1).withContextLength(16);
        this.thread = new Thread(() -> run(tiny, warm, layoutCache, tokens), "bitnet4j-warmup");
        thread.setDaemon(true); // never holds up the exit
        thread.setPriority(Thread.MIN_PRIORITY); // as the computing threads: the JIT's threads come first
    }

    /** The warm-up prompt's tokens for a first prompt of {@code text}: one for a word or two, else four. */
    static int tokensFor(String text) {
        return text.length() <= SHORT_PROMPT_CHARS ? 1 : DEFAULT_TOKENS;
    }

    /**
     * Starts warming beside the load of {@code model} (sessions with {@code options}) with a prompt of {@code tokens}
     * tokens (1 to 4), on the bundled model if there is one and warming is worth it; empty otherwise.
     */
    static Optional<JitWarmup> startBeside(Path model, SessionOptions options, LayoutCacheSettings cache, int tokens) {
        Optional<Path> bundled = DefaultModel.home().map(h -> h.resolve(DefaultModel.RELATIVE));
        return startBeside(model, options, bundled, MIN_MODEL_BYTES, System.getProperty(PROPERTY, "on"),
                Optional.ofNullable(cache.directory()), tokens);
    }

    /** {@link #startBeside(Path, SessionOptions, LayoutCacheSettings, int)} with its inputs given (tests). */
    static Optional<JitWarmup> startBeside(Path model, SessionOptions options, Optional<Path> bundled, long minModelBytes,
            String setting, Optional<Path> layoutCache, int tokens) {
        if (tokens < 1 || tokens > DEFAULT_TOKENS) {
            throw new IllegalArgumentException("a warm-up prompt of " + tokens + " tokens; 1 to " + DEFAULT_TOKENS);
        }
        if (setting.trim().equalsIgnoreCase("off") || bundled.isEmpty() || !Files.isRegularFile(bundled.get())) {
            return Optional.empty();
        }
        try {
            if (Files.size(model) < minModelBytes || Files.isSameFile(model, bundled.get())) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty(); // the load will say what is wrong with the model
        }
        JitWarmup w = new JitWarmup(bundled.get(), options, layoutCache, tokens);
        w.thread.start();
        return Optional.of(w);
    }

    private void run(Path tiny, SessionOptions options, Optional<Path> layoutCache, int tokens) {
        try (GgufFile file = GgufFile.open(tiny)) {
            Model model = load(tiny, file, layoutCache);
            try (Session s = model.newSession(options)) {
                s.forward(Arrays.copyOf(new int[] {1, 2, 3, 4}, tokens)); // a prompt's path: its kernels, then the head
                done = true;
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * The tiny model, its ternary layouts mapped from the big model's layout cache directory when there is one, and
     * written there (0.7 MB, one thread's arrangement) when they were not found. Repacking them ran code that nothing
     * after a cached big model's load needs: the warm-up's load took 0.2-0.27 s, 0.11-0.13 s from the cache
     * (docs/bench-log.md, session 14). A cache that cannot be used only costs the repack.
     */
    private static Model load(Path tiny, GgufFile file, Optional<Path> layoutCache) {
        MatrixKernels kernels = MatrixKernels.defaults().withThreads(1);
        if (layoutCache.isEmpty()) {
            return Model.load(file, kernels);
        }
        LayoutCache cache;
        try {
            cache = LayoutCache.forModel(tiny, 1, layoutCache.get());
        } catch (IOException | RuntimeException e) {
            return Model.load(file, kernels);
        }
        Model model = Model.load(file, kernels.withLayoutCache(cache));
        if (cache.repacked() > 0) {
            try {
                Files.createDirectories(layoutCache.get());
                cache.save();
            } catch (IOException | RuntimeException e) {
                // the next warm-up repacks again
            }
        }
        return model;
    }

    /** Waits for the warm-up to end (tests). */
    void join() throws InterruptedException {
        thread.join();
    }

    /** Whether the prompt went through. */
    boolean done() {
        return done;
    }

    /** What ended the warm-up early, if anything did. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }
}
