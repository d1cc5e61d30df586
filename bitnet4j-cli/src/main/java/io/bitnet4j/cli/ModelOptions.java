package io.bitnet4j.cli;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code -m FILE} of the commands that run a model, with the default model when it is left out. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF model file (default: $BITNET4J_MODEL, else models/default.gguf in the bitnet4j directory).")
    Path model;

    /** The model to load: {@code -m}, else the default one; empty if there is neither. */
    Optional<Path> resolve() throws NoSuchFileException {
        return model != null ? Optional.of(model) : DefaultModel.find(System.getenv());
    }
}
