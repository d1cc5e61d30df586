package io.bitnet4j.cli;

import io.bitnet4j.model.SessionOptions;
import picocli.CommandLine.Option;

/** Threads, context, batch size and KV cache type of the commands that run a model. */
final class EngineOptions {
    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0", description = "Threads (default: one per processor).")
    int threads;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "0",
            description = "Context length in tokens (default: the model's).")
    int context;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "512",
            description = "Prompt tokens processed together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--kv", paramLabel = "f16|f32", defaultValue = "f16", description = "KV cache type (default: ${DEFAULT-VALUE}, as llama.cpp).")
    String kv;

    SessionOptions sessionOptions() {
        return SessionOptions.defaults().withThreads(threads).withContextLength(context).withBatchSize(batch)
                .withKvCacheType(LogitsCommand.kvCacheType(kv));
    }
}
