package io.bitnet4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reading request bodies within a limit and writing JSON answers and OpenAI error bodies. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    private Http() {}

    /** The body, refused with 413 when longer than {@code limit} bytes (by its Content-Length or by what arrives). */
    static byte[] readBody(HttpExchange ex, int limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    throw ApiError.tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ApiError.invalid("Content-Length is not a number", null);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > limit) {
                    throw ApiError.tooLarge(limit);
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** Parses {@code body} as JSON; malformed JSON is a 400. */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiError.invalid("the request has no body; expected a JSON object", null);
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid("the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiError.invalid("the body could not be read as JSON: " + e.getMessage(), null);
        }
    }

    /** Sends {@code body} with {@code status} and closes the exchange's output. */
    static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The OpenAI error body for {@code e}. */
    static ObjectNode errorBody(ApiError e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        return root;
    }

    static void sendError(HttpExchange ex, ApiError e) throws IOException {
        if (e.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        }
        sendJson(ex, e.status(), errorBody(e));
    }
}
