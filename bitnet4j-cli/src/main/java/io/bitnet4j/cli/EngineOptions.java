package io.bitnet4j.cli;

import io.bitnet4j.model.SessionOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Context, batch size, threads, KV cache type and numerics of run and chat (fast numerics unless told otherwise). */
final class EngineOptions {
    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "0",
            description = "Context length in tokens (default: the model's).")
    int context;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "512",
            description = "Prompt tokens processed together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    RuntimeOptions runtime;

    SessionOptions sessionOptions() {
        return runtime.sessionOptions("fast").withContextLength(context).withBatchSize(batch);
    }
}
