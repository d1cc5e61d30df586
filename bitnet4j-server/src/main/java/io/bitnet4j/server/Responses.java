package io.bitnet4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitnet4j.generate.FinishReason;

/**
 * The JSON shapes of OpenAI's answers: whole completions, stream chunks and usage, for chat ({@code message} /
 * {@code delta}) and text ({@code text}) completions.
 */
final class Responses {
    private final Endpoint endpoint;
    private final String id;
    private final long created;
    private final String model;

    Responses(Endpoint endpoint, String id, long created, String model) {
        this.endpoint = endpoint;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /** The answer of a request that did not stream. */
    ObjectNode completion(String text, FinishReason reason, int promptTokens, int completionTokens) {
        ObjectNode root = header(endpoint.object);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (endpoint == Endpoint.CHAT) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reason));
        root.set("usage", usage(promptTokens, completionTokens));
        return root;
    }

    /** A stream chunk carrying {@code text}; for chat the first one also carries the role. */
    ObjectNode delta(String text, boolean first) {
        return chunk(text, first, null);
    }

    /** The chunk that ends the choice with its finish reason. */
    ObjectNode finish(FinishReason reason) {
        return chunk(endpoint == Endpoint.CHAT ? null : "", false, reason);
    }

    /** The last chunk when the client asked for usage: no choices, only the counts. */
    ObjectNode usageChunk(int promptTokens, int completionTokens) {
        ObjectNode root = header(endpoint.chunkObject);
        root.putArray("choices");
        root.set("usage", usage(promptTokens, completionTokens));
        return root;
    }

    private ObjectNode chunk(String text, boolean first, FinishReason reason) {
        ObjectNode root = header(endpoint.chunkObject);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (endpoint == Endpoint.CHAT) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            if (text != null) {
                delta.put("content", text);
            }
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        if (reason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason(reason));
        }
        return root;
    }

    private ObjectNode header(String object) {
        ObjectNode root = Http.JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private static ObjectNode usage(int promptTokens, int completionTokens) {
        ObjectNode u = Http.JSON.createObjectNode();
        u.put("prompt_tokens", promptTokens);
        u.put("completion_tokens", completionTokens);
        u.put("total_tokens", promptTokens + completionTokens);
        return u;
    }

    /** OpenAI knows {@code stop} (a natural end or a stop sequence) and {@code length}. */
    private static String finishReason(FinishReason r) {
        return r == FinishReason.LENGTH ? "length" : "stop";
    }
}
