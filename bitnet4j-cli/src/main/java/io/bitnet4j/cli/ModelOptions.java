package io.bitnet4j.cli;

import io.bitnet4j.BitNet;
import io.bitnet4j.LayoutCacheSettings;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.kernel.LayoutCache;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code -m FILE} of the commands that run a model, with the default model when it is left out. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF model file (default: $BITNET4J_MODEL, else models/default.gguf in the bitnet4j directory).")
    Path model;

    @Option(names = "--layout-cache", paramLabel = "DIR|off",
            description = "Where the repacked ternary weights are kept between runs: the first load of a model writes "
                    + "them to a file there (about 0.47 GB for a 2B model; one file for -t 1, one for more threads), later "
                    + "loads map it and start faster. off: repack on every load. Default: -Dbitnet4j.layoutcache if set, "
                    + "else $XDG_CACHE_HOME/bitnet4j/layouts (~/.cache/bitnet4j/layouts) for models with at least 64 MB "
                    + "of such weights, the least recently used files deleted beyond 4 GB.")
    String layoutCache;

    /** The cache {@code --layout-cache} names, else the one the system property names, else the per-user default. */
    static LayoutCacheSettings layoutCacheSettings(String option, String property, Map<String, String> env) {
        if (option != null) {
            return LayoutCacheSettings.parse(option);
        }
        if (property != null) {
            return LayoutCacheSettings.parse(property);
        }
        return LayoutCacheSettings.userDefault(env);
    }

    /**
     * Loads {@code -m} (else the default model) for sessions with {@code options} and says on stderr what was loaded;
     * empty, after telling the user how to get a model, when there is none.
     */
    Optional<LoadedModel> load(CommandSpec spec, SessionOptions options) throws IOException {
        return load(spec, options, JitWarmup.DEFAULT_TOKENS);
    }

    /** {@link #load(CommandSpec, SessionOptions)}, warming up with a prompt of {@code warmupTokens} tokens (1 to 4). */
    Optional<LoadedModel> load(CommandSpec spec, SessionOptions options, int warmupTokens) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> file = model != null ? Optional.of(model) : DefaultModel.find(System.getenv());
        if (file.isEmpty()) {
            err.println(DefaultModel.missingMessage(spec.name()));
            err.flush();
            return Optional.empty();
        }
        LayoutCacheSettings cache = layoutCacheSettings(layoutCache, System.getProperty(LayoutCache.PROPERTY), System.getenv());
        JitWarmup.startBeside(file.get(), options, cache, warmupTokens); // beside the load: the big model's first prompt then runs warmer code
        LoadedModel m = BitNet.load(file.get(), options, cache);
        Reports.loaded(err, file.get(), m);
        return Optional.of(m);
    }
}
