package io.bitnet4j;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.LayoutCache;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.tokenizer.ChatTemplate;
import io.bitnet4j.tokenizer.Tokenizer;
import io.bitnet4j.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
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
        Objects.requireNonNull(gguf, "gguf");
        Objects.requireNonNull(options, "options");
        long start = System.nanoTime();
        GgufFile file = GgufFile.open(gguf);
        // the tokenizer (a 128k-token vocabulary takes a few hundred milliseconds) is built beside the weights,
        // whose binding leaves a core idle in its serial parts; a bad model is still reported before a bad tokenizer
        CompletableFuture<Tokenizer> tokenizer = CompletableFuture.supplyAsync(() -> Tokenizers.fromGguf(file.metadata()));
        try {
            Optional<LayoutCache> cache = LayoutCache.forModel(gguf, options.resolvedThreads(), layoutCache);
            MatrixKernels kernels = MatrixKernels.defaults().withThreads(options.resolvedThreads()); // layouts for these threads
            Model model = Model.load(file, cache.map(kernels::withLayoutCache).orElse(kernels));
            if (cache.isPresent()) {
                saveQuietly(cache.get());
            }
            return new LoadedModel(file, model, join(tokenizer), ChatTemplate.detect(file.metadata()), options,
                    (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            tokenizer.exceptionally(t -> null).join(); // it reads the file's metadata: let it finish before closing
            file.close();
            throw e;
        }
    }

    /** Writes the cache if it changed; a cache that cannot be written costs only the next load's repack, so it is reported, not thrown. */
    private static void saveQuietly(LayoutCache cache) {
        try {
            cache.save();
        } catch (IOException | RuntimeException e) {
            System.getLogger(BitNet.class.getName()).log(System.Logger.Level.WARNING,
                    "could not write the layout cache " + cache.file() + ": " + e);
        }
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
