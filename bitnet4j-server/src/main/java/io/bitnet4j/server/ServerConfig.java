package io.bitnet4j.server;

import io.bitnet4j.tokenizer.ChatTemplate;
import java.util.Objects;

/**
 * How the server listens and how much it takes on.
 *
 * @param host          address to bind ({@code 127.0.0.1} keeps it to this machine)
 * @param port          TCP port; 0 picks a free one
 * @param parallel      sequences decoded together in one batch; more requests wait in the queue
 * @param maxQueued     requests that may wait for a free sequence slot; more are refused with 429
 * @param apiKey        the Bearer token every {@code /v1} request must carry, or null for none
 * @param modelId       the name {@code /v1/models} lists and responses carry
 * @param chatTemplate  how chat messages become a prompt, or null for the model's own
 * @param maxBodyBytes  largest request body accepted; larger ones are refused with 413
 */
public record ServerConfig(String host, int port, int parallel, int maxQueued, String apiKey, String modelId, ChatTemplate chatTemplate,
        int maxBodyBytes) {
    /** Requests beyond the running ones that may wait, by default. */
    public static final int DEFAULT_MAX_QUEUED = 64;
    /** 1 MiB: far more than any prompt that fits a context. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(modelId, "modelId");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " must be 0..65535");
        }
        if (parallel < 1 || parallel > 256) {
            throw new IllegalArgumentException("parallel " + parallel + " must be 1..256");
        }
        if (maxQueued < 1) {
            throw new IllegalArgumentException("the queue limit " + maxQueued + " must be ≥ 1");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit " + maxBodyBytes + " must be at least 1024 bytes");
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is blank; leave it out to accept requests without one");
        }
    }

    /** Loopback, port 8080, one sequence at a time, the default limits, no API key, the model's chat template. */
    public static ServerConfig defaults(String modelId) {
        return new ServerConfig("127.0.0.1", 8080, 1, DEFAULT_MAX_QUEUED, null, modelId, null, DEFAULT_MAX_BODY_BYTES);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, parallel, maxQueued, apiKey, modelId, chatTemplate, maxBodyBytes);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, parallel, maxQueued, apiKey, modelId, chatTemplate, maxBodyBytes);
    }

    public ServerConfig withParallel(int n) {
        return new ServerConfig(host, port, n, maxQueued, apiKey, modelId, chatTemplate, maxBodyBytes);
    }

    public ServerConfig withMaxQueued(int n) {
        return new ServerConfig(host, port, parallel, n, apiKey, modelId, chatTemplate, maxBodyBytes);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, parallel, maxQueued, key, modelId, chatTemplate, maxBodyBytes);
    }

    public ServerConfig withChatTemplate(ChatTemplate t) {
        return new ServerConfig(host, port, parallel, maxQueued, apiKey, modelId, t, maxBodyBytes);
    }

    public ServerConfig withMaxBodyBytes(int n) {
        return new ServerConfig(host, port, parallel, maxQueued, apiKey, modelId, chatTemplate, n);
    }
}
