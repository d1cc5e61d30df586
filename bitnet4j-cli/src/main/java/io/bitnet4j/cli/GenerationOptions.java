package io.bitnet4j.cli;

import io.bitnet4j.LoadedModel;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** What run and chat share: the model, the sampling options and the session options. */
final class GenerationOptions {
    @Mixin
    ModelOptions model;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    EngineOptions engine;

    /** The model loaded for sessions with these options; empty (the user told how to get one) if there is none. */
    Optional<LoadedModel> load(CommandSpec spec) throws IOException {
        return model.load(spec, engine.sessionOptions());
    }

    /** {@link #load(CommandSpec)} for a first prompt of {@code text}: the JIT's warm-up takes its shape. */
    Optional<LoadedModel> load(CommandSpec spec, String firstPrompt) throws IOException {
        return model.load(spec, engine.sessionOptions(), JitWarmup.tokensFor(firstPrompt));
    }
}
