package io.bitnet4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every request: the API key check, the route and method, and the conversion of any failure into an OpenAI
 * error answer, so no request can take the server down. Paths are accepted with and without the {@code /v1}
 * prefix (clients differ in whether their base URL has it).
 */
final class Router implements HttpHandler {
    private final ServerConfig config;
    private final BatchScheduler scheduler;
    private final CompletionHandler completions;
    private final long created = System.currentTimeMillis() / 1000;

    Router(ServerConfig config, BatchScheduler scheduler, CompletionHandler completions) {
        this.config = config;
        this.scheduler = scheduler;
        this.completions = completions;
    }

    @Override
    public void handle(HttpExchange ex) {
        try (ex) {
            try {
                route(ex);
            } catch (ApiError e) {
                Http.sendError(ex, e);
            } catch (IOException e) {
                // the client went away; nothing to answer
            } catch (RuntimeException e) {
                Http.sendError(ex, ApiError.internal("internal error: " + e));
            }
        } catch (IOException | RuntimeException e) {
            // the error answer could not be sent either (headers already out, or the client gone)
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/health")) {
            requireMethod(ex, "GET", path);
            Http.sendJson(ex, 200, health());
            return;
        }
        String p = path.startsWith("/v1/") ? path.substring(3) : path;
        boolean known = p.equals("/chat/completions") || p.equals("/completions") || p.equals("/models") || p.startsWith("/models/");
        if (!known) {
            throw ApiError.notFound("no such endpoint: " + method + " " + path);
        }
        authorize(ex);
        switch (p) {
            case "/chat/completions" -> {
                requireMethod(ex, "POST", path);
                completions.handle(ex, Endpoint.CHAT);
            }
            case "/completions" -> {
                requireMethod(ex, "POST", path);
                completions.handle(ex, Endpoint.TEXT);
            }
            case "/models" -> {
                requireMethod(ex, "GET", path);
                ObjectNode list = Http.JSON.createObjectNode();
                list.put("object", "list");
                list.putArray("data").add(model());
                Http.sendJson(ex, 200, list);
            }
            default -> {
                requireMethod(ex, "GET", path);
                String id = p.substring("/models/".length());
                if (!id.equals(config.modelId())) {
                    throw ApiError.notFound("the model '" + id + "' does not exist; this server has '" + config.modelId() + "'");
                }
                Http.sendJson(ex, 200, model());
            }
        }
    }

    private ObjectNode model() {
        ObjectNode m = Http.JSON.createObjectNode();
        m.put("id", config.modelId());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "bitnet4j");
        return m;
    }

    private ObjectNode health() {
        ObjectNode h = Http.JSON.createObjectNode();
        h.put("status", "ok");
        h.put("slots_processing", scheduler.active());
        h.put("slots_idle", scheduler.parallel() - scheduler.active());
        h.put("queued", scheduler.queued());
        return h;
    }

    private static void requireMethod(HttpExchange ex, String allowed, String path) {
        if (!ex.getRequestMethod().equals(allowed)) {
            ex.getResponseHeaders().set("Allow", allowed);
            throw ApiError.methodNotAllowed(ex.getRequestMethod(), path);
        }
    }

    /** With an API key configured, {@code Authorization: Bearer KEY} must carry it (compared in constant time). */
    private void authorize(HttpExchange ex) {
        if (config.apiKey() == null) {
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("missing API key: send the header 'Authorization: Bearer KEY'");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, config.apiKey().getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized("incorrect API key");
        }
    }
}
