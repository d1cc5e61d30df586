package io.bitnet4j.cli;

import io.bitnet4j.LoadedModel;
import io.bitnet4j.server.OpenAiServer;
import io.bitnet4j.server.ServerConfig;
import io.bitnet4j.tokenizer.ChatTemplate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j serve -m FILE}: an OpenAI-compatible HTTP server (chat/completions, completions, models,
 * health) until interrupted. Binds to loopback unless {@code --host} says otherwise.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a GGUF model over an OpenAI-compatible HTTP API (POST /v1/chat/completions, POST /v1/completions, "
                + "GET /v1/models, GET /health), streaming or not; up to --parallel requests are decoded together.",
            "Without -m: $BITNET4J_MODEL, else models/default.gguf in the bitnet4j directory. See docs/server.md."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free one).")
    int port;

    @Option(names = {"-np", "--parallel"}, paramLabel = "N", defaultValue = "1",
            description = "Requests decoded together in one batch (default: ${DEFAULT-VALUE}); more wait in the queue.")
    int parallel;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_MAX_QUEUED,
            description = "Requests that may wait for a slot; more get HTTP 429 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "" + ServerConfig.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body; larger ones get HTTP 413 (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' on /v1 requests (default: $BITNET4J_API_KEY, else no key).")
    String apiKey;

    @Option(names = "--alias", paramLabel = "NAME", description = "Model name in /v1/models and responses (default: the file name).")
    String alias;

    @Option(names = "--chat-template", paramLabel = "NAME",
            description = "Chat format: llama3, bitnet or llama2 (default: the one the model declares or implies).")
    String template;

    @Mixin
    ModelOptions model;

    @Mixin
    EngineOptions engine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        String env = System.getenv("BITNET4J_API_KEY");
        String key = apiKey != null ? apiKey : env == null || env.isBlank() ? null : env; // a blank --api-key is refused
        Path file = model.model != null ? model.model : DefaultModel.find(System.getenv()).orElse(Path.of("default.gguf"));
        // checked before the model is loaded, so a bad option fails at once
        ServerConfig config = new ServerConfig(host, port, parallel, maxQueue, key,
                alias != null ? alias : modelId(file), template != null ? ChatTemplate.byName(template) : null, maxBody);
        Optional<LoadedModel> loaded = model.load(spec, engine.sessionOptions());
        if (loaded.isEmpty()) {
            return 1;
        }
        try (LoadedModel m = loaded.get()) {
            if (config.chatTemplate() == null && m.chatTemplate().isEmpty()) {
                err.println("warning: the model has no chat template bitnet4j knows; /v1/chat/completions will refuse requests "
                        + "(choose one with --chat-template llama3|bitnet|llama2)");
            }
            try (OpenAiServer server = OpenAiServer.start(m, config)) {
                server.warmUp(); // while no request has come; the first one stops it
                err.println("serving " + config.modelId() + " on http://" + host + ":" + server.port() + "/v1 (" + parallel
                        + " parallel, " + (config.apiKey() != null ? "API key required" : "no API key") + "); Ctrl-C stops");
                err.flush();
                server.awaitTermination();
            }
        }
        return 0;
    }

    /** The file name without {@code .gguf}. */
    static String modelId(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }
}
