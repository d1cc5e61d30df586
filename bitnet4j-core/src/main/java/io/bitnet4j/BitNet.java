package io.bitnet4j;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.LayoutCache;
import io.bitnet4j.kernel.LayoutCacheDirectory;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.Numerics;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.tokenizer.ChatTemplate;
import io.bitnet4j.tokenizer.Tokenizer;
import io.bitnet4j.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The front door for running models: load a GGUF file, then generate or chat.
 *
 * <pre>{@code
 * try (LoadedModel model = BitNet.load(Path.of("model.gguf"))) {
 *     GenerationResult r = model.generate("Once upon a time", GenerationSettings.defaults(), System.out::print);
 *     System.out.printf("%n%.1f tokens/s%n", r.timings().generationTokensPerSecond());
 * }
 * }</pre>
 *
 * The pieces behind it ({@link io.bitnet4j.model.Model}, {@link io.bitnet4j.model.Session},
 * {@link io.bitnet4j.generate.Generator}, {@link io.bitnet4j.generate.Conversation}, {@link Tokenizer}) can be used
 * directly for finer control.
 */
public final class BitNet {
    private BitNet() {}

    /** Loads a model with {@link SessionOptions#defaults()} for its sessions. */
    public static LoadedModel load(Path gguf) throws IOException {
        return load(gguf, SessionOptions.defaults());
    }

    /**
     * Memory-maps {@code gguf}, binds its tensors to kernels and reads its tokenizer and chat template; every
     * session the returned model opens uses {@code options}. Throws {@link IOException} if the file cannot be read and
     * {@link IllegalArgumentException} naming what is wrong with a malformed or unsupported model.
     */
    public static LoadedModel load(Path gguf, SessionOptions options) throws IOException {
        return load(gguf, options, System.getProperty(LayoutCache.PROPERTY, ""));
    }

    /**
     * {@link #load(Path, SessionOptions)} with the repacked ternary layouts kept in a file in directory
     * {@code layoutCache} and mapped on later loads ({@link LayoutCache}; blank or {@code off}: repacked every time).
     */
    public static LoadedModel load(Path gguf, SessionOptions options, String layoutCache) throws IOException {
        return load(gguf, options, LayoutCacheSettings.parse(layoutCache));
    }

    /**
     * {@link #load(Path, SessionOptions)} with the repacked ternary layouts kept as {@code cacheSettings} say:
     * mapped from the cache file when it holds them, else repacked and written there for the next load (unless
     * they are below the settings' minimum or the disk lacks room), the directory then trimmed to the settings' cap.
     * A cache that cannot be read or written only costs the repack: {@link LoadedModel#layoutCache()} says what
     * happened.
     */
    public static LoadedModel load(Path gguf, SessionOptions options, LayoutCacheSettings cacheSettings) throws IOException {
        Objects.requireNonNull(gguf, "gguf");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(cacheSettings, "cacheSettings");
        long start = System.nanoTime();
        GgufFile file = GgufFile.open(gguf);
        // the tokenizer (a 128k-token vocabulary takes a few hundred milliseconds) is built beside the weights,
        // whose binding leaves a core idle in its serial parts; a bad model is still reported before a bad tokenizer
        CompletableFuture<Tokenizer> tokenizer = CompletableFuture.supplyAsync(() -> Tokenizers.fromGguf(file.metadata()));
        try {
            Optional<LayoutCache> cache = cacheSettings.enabled()
                    ? Optional.of(LayoutCache.forModel(gguf, options.resolvedThreads(), cacheSettings.directory()))
                    : Optional.empty();
            MatrixKernels kernels = MatrixKernels.defaults().withThreads(options.resolvedThreads()); // layouts for these threads
            if (options.numerics() != Numerics.FAST) {
                kernels = kernels.withoutTqLayouts(); // a peer's orders never run on them (null: the model's default, a peer's)
            }
            Model model = Model.load(file, cache.map(kernels::withLayoutCache).orElse(kernels));
            LayoutCacheOutcome outcome = cache.map(c -> keep(c, cacheSettings)).orElse(LayoutCacheOutcome.NONE);
            return new LoadedModel(file, model, join(tokenizer), ChatTemplate.detect(file.metadata()), options,
                    (System.nanoTime() - start) / 1e9, outcome);
        } catch (RuntimeException e) {
            tokenizer.exceptionally(t -> null).join(); // it reads the file's metadata: let it finish before closing
            file.close();
            throw e;
        }
    }

    /** Room a cache write leaves on the disk: a cache is not worth filling it. */
    private static final long FREE_SPACE_MARGIN = 1L << 30;

    /**
     * Writes the cache if it changed and is worth it, then trims its directory; or marks it used if it was all found.
     * Never throws: a cache that cannot be written costs only the next load's repack.
     */
    private static LayoutCacheOutcome keep(LayoutCache cache, LayoutCacheSettings settings) {
        long bytes = cache.layoutBytes();
        if (bytes == 0) {
            return LayoutCacheOutcome.NONE; // no repacked tensors: nothing to keep
        }
        if (cache.repacked() == 0) {
            cache.markUsed();
            return new LayoutCacheOutcome(LayoutCacheOutcome.Status.MAPPED, cache.file(), bytes, "");
        }
        if (bytes < settings.minLayoutBytes()) {
            return new LayoutCacheOutcome(LayoutCacheOutcome.Status.TOO_SMALL, cache.file(), bytes,
                    "layouts below the cache's minimum of " + settings.minLayoutBytes() + " bytes");
        }
        try {
            Path dir = cache.file().toAbsolutePath().getParent();
            Files.createDirectories(dir);
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < bytes + FREE_SPACE_MARGIN) {
                return notWritten(cache, bytes, String.format(Locale.ROOT, "%.2f GB free in %s, %.2f GB needed and 1 GB left over",
                        free / 1e9, dir, bytes / 1e9));
            }
            cache.save();
            if (settings.maxDirectoryBytes() < Long.MAX_VALUE) {
                LayoutCacheDirectory.trim(dir, settings.maxDirectoryBytes(), cache.file());
            }
            return new LayoutCacheOutcome(LayoutCacheOutcome.Status.WRITTEN, cache.file(), bytes, "");
        } catch (IOException | RuntimeException e) {
            return notWritten(cache, bytes, e.toString()); // the caller reports it: LoadedModel.layoutCache()
        }
    }

    private static LayoutCacheOutcome notWritten(LayoutCache cache, long bytes, String why) {
        return new LayoutCacheOutcome(LayoutCacheOutcome.Status.NOT_WRITTEN, cache.file(), bytes, why);
    }

    /** The future's value, or the exception it ended with, as thrown by the work itself. */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
