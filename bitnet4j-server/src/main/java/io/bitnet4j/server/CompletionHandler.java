package io.bitnet4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.bitnet4j.tokenizer.ChatTemplate;
import io.bitnet4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}: reads the request, queues its generation
 * and answers either with the whole completion or as Server-Sent Events ending in {@code data: [DONE]}. The
 * writing happens on this (virtual) thread, never on the decode loop; if the client goes away mid-stream the
 * write fails and the generation is cancelled, freeing its slot.
 */
final class CompletionHandler {
    private final BatchScheduler scheduler;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final ServerConfig config;

    CompletionHandler(BatchScheduler scheduler, Tokenizer tokenizer, ChatTemplate template, ServerConfig config) {
        this.scheduler = scheduler;
        this.tokenizer = tokenizer;
        this.template = template;
        this.config = config;
    }

    void handle(HttpExchange ex, Endpoint endpoint) throws IOException {
        JsonNode body = Http.parse(Http.readBody(ex, config.maxBodyBytes()));
        CompletionRequest request = CompletionRequest.parse(body, endpoint, tokenizer, template, scheduler.contextLength());
        Job job = scheduler.submit(request.prompt(), request.settings());
        Responses responses = new Responses(endpoint, endpoint.idPrefix + UUID.randomUUID().toString().replace("-", ""),
                System.currentTimeMillis() / 1000, config.modelId());
        try {
            if (request.stream()) {
                stream(ex, job, request, responses, endpoint);
            } else {
                whole(ex, job, responses);
            }
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            job.cancel(); // the client is gone (or the answer could not be written): free the slot
            throw e;
        }
    }

    private void whole(HttpExchange ex, Job job, Responses responses) throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder();
        while (true) {
            switch (job.next()) {
                case JobEvent.Text t -> text.append(t.text());
                case JobEvent.Finished f -> {
                    Http.sendJson(ex, 200, responses.completion(text.toString(), f.reason(), f.promptTokens(), f.completionTokens()));
                    return;
                }
                case JobEvent.Failed f -> throw f.error();
            }
        }
    }

    private void stream(HttpExchange ex, Job job, CompletionRequest request, Responses responses, Endpoint endpoint)
            throws IOException, InterruptedException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            if (endpoint == Endpoint.CHAT) {
                event(out, Http.JSON.writeValueAsString(responses.delta("", true))); // the role first, as OpenAI sends it
            }
            while (true) {
                switch (job.next()) {
                    case JobEvent.Text t -> event(out, Http.JSON.writeValueAsString(responses.delta(t.text(), false)));
                    case JobEvent.Finished f -> {
                        event(out, Http.JSON.writeValueAsString(responses.finish(f.reason())));
                        if (request.includeUsage()) {
                            event(out, Http.JSON.writeValueAsString(responses.usageChunk(f.promptTokens(), f.completionTokens())));
                        }
                        event(out, "[DONE]");
                        return;
                    }
                    case JobEvent.Failed f -> {
                        event(out, Http.JSON.writeValueAsString(Http.errorBody(f.error()))); // headers are gone: report in-stream
                        event(out, "[DONE]");
                        return;
                    }
                }
            }
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
