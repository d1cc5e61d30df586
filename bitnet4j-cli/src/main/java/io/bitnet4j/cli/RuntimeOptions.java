package io.bitnet4j.cli;

import io.bitnet4j.model.SessionOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Threads, KV cache type and numerics, shared by every command that runs a model. */
final class RuntimeOptions {
    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0", description = "Threads (default: one per processor).")
    int threads;

    @Option(names = "--kv", paramLabel = "f16|f32", defaultValue = "f16", description = "KV cache type (default: ${DEFAULT-VALUE}, as llama.cpp).")
    String kv;

    @Mixin
    NumericsOption numerics;

    /** The session options these flags ask for, with {@code defaultNumerics} (a {@code --numerics} word) unless one is given. */
    SessionOptions sessionOptions(String defaultNumerics) {
        return SessionOptions.defaults().withThreads(threads).withKvCacheType(LogitsCommand.kvCacheType(kv))
                .withNumerics(numerics.resolve(defaultNumerics));
    }
}
