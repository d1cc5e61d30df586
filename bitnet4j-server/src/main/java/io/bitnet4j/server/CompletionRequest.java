package io.bitnet4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.generate.SamplerConfig;
import io.bitnet4j.tokenizer.ChatMessage;
import io.bitnet4j.tokenizer.ChatTemplate;
import io.bitnet4j.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A generation request as the server runs it, read from an OpenAI request body.
 *
 * @param prompt       token ids, BOS included
 * @param settings     token limit (negative: until the context is full), sampler, stop strings
 * @param stream       answer as Server-Sent Events
 * @param includeUsage send the token counts in a last chunk ({@code stream_options.include_usage})
 */
record CompletionRequest(int[] prompt, GenerationSettings settings, boolean stream, boolean includeUsage) {
    /** OpenAI allows up to four stop sequences. */
    static final int MAX_STOPS = 4;

    /**
     * Reads {@code body} for {@code endpoint}: the prompt (chat messages rendered with {@code template}), the
     * sampling fields and the limits. Fields OpenAI defines but bitnet4j does not use are ignored; known ones of
     * the wrong type, {@code n} other than 1 and prompts that do not fit {@code contextLength} are refused.
     */
    static CompletionRequest parse(JsonNode body, Endpoint endpoint, Tokenizer tokenizer, ChatTemplate template, int contextLength) {
        if (!body.isObject()) {
            throw ApiError.invalid("the request body must be a JSON object", null);
        }
        Fields.string(body, "model"); // any name is accepted, as llama.cpp's server does, but it must be a string
        if (Fields.integer(body, "n", 1, Integer.MAX_VALUE, 1) != 1) {
            throw ApiError.invalidValue("n", "1 (one choice per request)", body.get("n"));
        }
        int[] prompt = endpoint == Endpoint.CHAT ? chatPrompt(body, tokenizer, template) : textPrompt(body, tokenizer);
        if (prompt.length > contextLength) {
            throw new ApiError(400, "invalid_request_error", "the prompt is " + prompt.length + " tokens but the context holds "
                    + contextLength, endpoint == Endpoint.CHAT ? "messages" : "prompt", "context_length_exceeded");
        }
        String limitField = Fields.present(body, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = (int) Fields.integer(body, limitField, 1, Integer.MAX_VALUE, -1);
        float temperature = (float) Fields.number(body, "temperature", 0, 2, 1);
        float topP = (float) Fields.number(body, "top_p", 0, 1, 1);
        int topK = (int) Fields.integer(body, "top_k", 0, Integer.MAX_VALUE, 0);
        float minP = (float) Fields.number(body, "min_p", 0, 1, 0);
        float frequency = (float) Fields.number(body, "frequency_penalty", -2, 2, 0);
        float presence = (float) Fields.number(body, "presence_penalty", -2, 2, 0);
        long seed = Fields.integer(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE, ThreadLocalRandom.current().nextLong());
        SamplerConfig sampler = new SamplerConfig(temperature, topK, topP == 0 ? Float.MIN_NORMAL : topP, minP, 1f, 64, frequency,
                presence, seed);
        List<String> stops = Fields.stopStrings(body, "stop", MAX_STOPS);
        boolean stream = Fields.bool(body, "stream", false);
        JsonNode options = Fields.object(body, "stream_options");
        boolean includeUsage = options != null && Fields.bool(options, "include_usage", false);
        return new CompletionRequest(prompt, new GenerationSettings(maxTokens, sampler, stops), stream, includeUsage);
    }

    private static int[] textPrompt(JsonNode body, Tokenizer tokenizer) {
        JsonNode p = body.get("prompt");
        if (p == null || p.isNull()) {
            throw ApiError.invalid("'prompt' is required", "prompt");
        }
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            p = p.get(0);
        }
        if (p.isTextual()) {
            int[] tokens = tokenizer.encode(p.asText(), true, true);
            if (tokens.length == 0) {
                throw ApiError.invalid("the prompt is empty and this model adds no BOS token", "prompt");
            }
            return tokens;
        }
        if (p.isArray() && !p.isEmpty()) {
            int[] ids = new int[p.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonNode t = p.get(i);
                if (!t.isInt() || t.asInt() < 0 || t.asInt() >= tokenizer.vocabSize()) {
                    throw ApiError.invalidValue("prompt", "a string, one string in an array, or token ids in 0.."
                            + (tokenizer.vocabSize() - 1), t);
                }
                ids[i] = t.asInt();
            }
            return ids;
        }
        throw ApiError.invalidValue("prompt", "a string, one string in an array, or an array of token ids", p);
    }

    private static int[] chatPrompt(JsonNode body, Tokenizer tokenizer, ChatTemplate template) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalidValue("messages", "a non-empty array of messages", messages);
        }
        List<ChatMessage> list = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiError.invalidValue(where, "an object", m);
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || role.asText().isBlank()) {
                throw ApiError.invalidValue(where + ".role", "a role such as \"user\"", role);
            }
            list.add(new ChatMessage(role.asText(), content(m.get("content"), where + ".content")));
        }
        if (template == null) {
            throw ApiError.invalid("this model has no chat template bitnet4j knows; start the server with --chat-template, or "
                    + "use /v1/completions", "messages");
        }
        return tokenizer.encode(template.render(list, true), true, true);
    }

    /** A message's content: a string, an array of text parts (joined), or null (an assistant turn with none). */
    private static String content(JsonNode c, String where) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : c) {
                JsonNode type = part.get("type");
                JsonNode t = part.get("text");
                if (type == null || !"text".equals(type.asText()) || t == null || !t.isTextual()) {
                    throw ApiError.invalidValue(where, "a string or an array of {\"type\":\"text\",\"text\":...} parts", part);
                }
                text.append(t.asText());
            }
            return text.toString();
        }
        throw ApiError.invalidValue(where, "a string or an array of text parts", c);
    }
}
