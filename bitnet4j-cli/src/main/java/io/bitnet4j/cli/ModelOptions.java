package io.bitnet4j.cli;

import io.bitnet4j.BitNet;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code -m FILE} of the commands that run a model, with the default model when it is left out. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF model file (default: $BITNET4J_MODEL, else models/default.gguf in the bitnet4j directory).")
    Path model;

    @Option(names = "--layout-cache", paramLabel = "DIR",
            description = "Keep the repacked ternary weights in a file in DIR (about 0.47 GB for a 2B model, one file for "
                    + "-t 1 and one for more threads) and map it on later loads of the same model: a faster start. "
                    + "Default: -Dbitnet4j.layoutcache, else off.")
    String layoutCache;

    /**
     * Loads {@code -m} (else the default model) for sessions with {@code options} and says on stderr what was loaded;
     * empty, after telling the user how to get a model, when there is none.
     */
    Optional<LoadedModel> load(CommandSpec spec, SessionOptions options) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> file = model != null ? Optional.of(model) : DefaultModel.find(System.getenv());
        if (file.isEmpty()) {
            err.println(DefaultModel.missingMessage(spec.name()));
            err.flush();
            return Optional.empty();
        }
        LoadedModel m = layoutCache != null ? BitNet.load(file.get(), options, layoutCache) : BitNet.load(file.get(), options);
        Reports.loaded(err, file.get(), m);
        return Optional.of(m);
    }
}
