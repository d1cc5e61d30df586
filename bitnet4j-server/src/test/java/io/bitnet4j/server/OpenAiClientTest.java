package io.bitnet4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import io.bitnet4j.generate.GenerationResult;
import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.generate.Generator;
import io.bitnet4j.tokenizer.ChatMessage;
import io.bitnet4j.tokenizer.ChatTemplate;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client nobody here wrote, LangChain4j's OpenAI models, against the server; the texts must be what
 * {@link Generator} (a session of its own, no server, no batch) produces for the same prompt and settings.
 */
class OpenAiClientTest {
    private static final String USER = "Once upon a time, a little cat";
    private static final int MAX_TOKENS = 24;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(c -> c.withApiKey("test-key").withParallel(2));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Greedy text and token counts straight from a Generator, for the chat prompt of {@link #USER}. */
    private static GenerationResult expected(List<String> stops) {
        int[] prompt = server.model.tokenizer().encode(ChatTemplate.LLAMA2.render(List.of(ChatMessage.user(USER)), true), true, true);
        try (Generator g = server.model.newGenerator()) {
            return g.generate(prompt, GenerationSettings.greedy(MAX_TOKENS).withStopStrings(stops), null);
        }
    }

    private static OpenAiChatModel chatModel(List<String> stops) {
        return OpenAiChatModel.builder().baseUrl(server.url("/v1")).apiKey("test-key").modelName(TestServer.MODEL_ID)
                .temperature(0.0).maxTokens(MAX_TOKENS).stop(stops).timeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void chatModelGetsTheGreedyTextAndTheTokenCounts() {
        GenerationResult want = expected(List.of());
        ChatResponse r = chatModel(List.of()).chat(UserMessage.from(USER));
        assertEquals(want.text(), r.aiMessage().text());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(want.promptTokens(), r.tokenUsage().inputTokenCount());
        assertEquals(MAX_TOKENS, r.tokenUsage().outputTokenCount());
        assertEquals(want.promptTokens() + MAX_TOKENS, r.tokenUsage().totalTokenCount());
    }

    @Test
    void aStopStringEndsTheTextBeforeIt() {
        String full = expected(List.of()).text();
        String stop = full.substring(full.length() / 2, full.length() / 2 + 3);
        GenerationResult want = expected(List.of(stop));
        assertTrue(want.text().length() < full.length(), "the stop string cuts the text");
        ChatResponse r = chatModel(List.of(stop)).chat(UserMessage.from(USER));
        assertEquals(want.text(), r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertFalse(r.aiMessage().text().contains(stop));
    }

    @Test
    void streamingChatModelGetsTheSameTextInPieces() throws Exception {
        GenerationResult want = expected(List.of());
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(server.url("/v1")).apiKey("test-key")
                .modelName(TestServer.MODEL_ID).temperature(0.0).maxTokens(MAX_TOKENS).timeout(Duration.ofSeconds(30)).build();
        StringBuilder pieces = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(List.of(UserMessage.from(USER)), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(30, TimeUnit.SECONDS);
        assertEquals(want.text(), pieces.toString());
        assertEquals(want.text(), r.aiMessage().text());
        assertEquals(FinishReason.LENGTH, r.finishReason());
    }

    @Test
    void textCompletionsStreamedOrNotMatchTheGenerator() throws Exception {
        String prompt = "The dog ran";
        GenerationResult want;
        try (Generator g = server.model.newGenerator()) {
            want = g.generate(prompt, GenerationSettings.greedy(10), null);
        }
        String body = "{\"model\":\"x\",\"prompt\":\"" + prompt + "\",\"max_tokens\":10,\"temperature\":0";
        HttpResponse<String> r = server.post("/v1/completions", body + "}", "test-key");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode json = Http.JSON.readTree(r.body());
        assertEquals("text_completion", json.get("object").asText());
        assertEquals(want.text(), json.get("choices").get(0).get("text").asText());
        assertEquals("length", json.get("choices").get(0).get("finish_reason").asText());
        assertEquals(want.promptTokens(), json.get("usage").get("prompt_tokens").asInt());
        assertEquals(10, json.get("usage").get("completion_tokens").asInt());
        assertEquals(want.promptTokens() + 10, json.get("usage").get("total_tokens").asInt());
    }

    @Test
    void modelsAndHealthAnswer() throws Exception {
        JsonNode health = Http.JSON.readTree(server.get("/health").body());
        assertEquals("ok", health.get("status").asText());
        HttpResponse<String> models = server.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/v1/models")))
                .header("Authorization", "Bearer test-key").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
        JsonNode list = Http.JSON.readTree(models.body());
        assertEquals("list", list.get("object").asText());
        assertEquals(TestServer.MODEL_ID, list.get("data").get(0).get("id").asText());
    }
}
