package io.bitnet4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad requests get OpenAI's error answers ({@code {"error":{"message","type","param","code"}}} with the right
 * status), and the server keeps answering after each one.
 */
class ErrorAnswersTest {
    private static final String KEY = "sk-test";
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(c -> c.withApiKey(KEY).withMaxBodyBytes(4096).withMaxQueued(2));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Checks the error body's shape and the param it names, then that the server still generates. */
    private static JsonNode assertError(HttpResponse<String> r, int status, String param) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = Http.JSON.readTree(r.body()).get("error");
        assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank(), r.body());
        assertTrue(error.get("type").isTextual(), r.body());
        assertTrue(error.has("param") && error.has("code"), r.body());
        if (param != null) {
            assertEquals(param, error.get("param").asText(), r.body());
        }
        stillServes();
        return error;
    }

    private static void stillServes() throws Exception {
        HttpResponse<String> ok = server.post("/v1/completions", "{\"prompt\":\"Hi\",\"max_tokens\":2}", KEY);
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                | {\"prompt\": \"Hi\"                        | ",
        "not an object           | [1, 2]                                    | ",
        "empty body              | ''                                        | ",
        "prompt missing          | {\"max_tokens\": 3}                       | prompt",
        "prompt a number         | {\"prompt\": 7}                           | prompt",
        "token id outside vocab  | {\"prompt\": [1, 99999]}                  | prompt",
        "max_tokens a string     | {\"prompt\": \"Hi\", \"max_tokens\": \"5\"} | max_tokens",
        "max_tokens zero         | {\"prompt\": \"Hi\", \"max_tokens\": 0}     | max_tokens",
        "temperature too high    | {\"prompt\": \"Hi\", \"temperature\": 9}    | temperature",
        "top_p a string          | {\"prompt\": \"Hi\", \"top_p\": \"x\"}      | top_p",
        "seed fractional         | {\"prompt\": \"Hi\", \"seed\": 1.5}         | seed",
        "stop a number           | {\"prompt\": \"Hi\", \"stop\": 3}          | stop",
        "five stops              | {\"prompt\": \"Hi\", \"stop\": [\"a\",\"b\",\"c\",\"d\",\"e\"]} | stop",
        "empty stop              | {\"prompt\": \"Hi\", \"stop\": \"\"}        | stop",
        "stream not a boolean    | {\"prompt\": \"Hi\", \"stream\": \"yes\"}   | stream",
        "n is 2                  | {\"prompt\": \"Hi\", \"n\": 2}              | n",
        "model a number          | {\"prompt\": \"Hi\", \"model\": 3}          | model",
    })
    void badTextRequestsAre400(String what, String body, String param) throws Exception {
        assertError(server.post("/v1/completions", body, KEY), 400, param);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "messages missing   | {\"max_tokens\": 3}                                   | messages",
        "messages empty     | {\"messages\": []}                                    | messages",
        "message no role    | {\"messages\": [{\"content\": \"Hi\"}]}               | messages[0].role",
        "content a number   | {\"messages\": [{\"role\": \"user\", \"content\": 5}]} | messages[0].content",
        "include_usage text | {\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"stream_options\": {\"include_usage\": \"y\"}} | include_usage",
    })
    void badChatRequestsAre400(String what, String body, String param) throws Exception {
        assertError(server.post("/v1/chat/completions", body, KEY), 400, param);
    }

    @Test
    void aPromptLongerThanTheContextIs400() throws Exception {
        String longPrompt = "Once upon a time there was a cat. ".repeat(100); // well over 512 tokens, under 4096 bytes
        JsonNode e = assertError(server.post("/v1/completions", "{\"prompt\":\"" + longPrompt + "\"}", KEY), 400, "prompt");
        assertEquals("context_length_exceeded", e.get("code").asText());
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String big = "x".repeat(5000);
        assertError(server.post("/v1/completions", "{\"prompt\":\"" + big + "\"}", KEY), 413, null);
    }

    @Test
    void aMissingOrWrongKeyIs401() throws Exception {
        assertError(server.post("/v1/completions", "{\"prompt\":\"Hi\"}", null), 401, null);
        assertError(server.post("/v1/completions", "{\"prompt\":\"Hi\"}", "sk-wrong"), 401, null);
        HttpResponse<String> models = server.get("/v1/models");
        assertError(models, 401, null);
    }

    @Test
    void unknownPathsAndModelsAre404() throws Exception {
        assertError(server.post("/v1/embeddings", "{}", KEY), 404, null);
        HttpResponse<String> model = server.http.send(HttpRequest.newBuilder(URI.create(server.url("/v1/models/gpt-4")))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertError(model, 404, null);
    }

    @Test
    void theWrongMethodIs405() throws Exception {
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(URI.create(server.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        assertError(r, 405, null);
    }

    @Test
    void aFullQueueIs429() throws Exception {
        BatchScheduler scheduler = server.server.scheduler();
        scheduler.pause(); // nothing leaves the queue: two requests fill it
        List<Thread> waiting = new ArrayList<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < 2; i++) {
                waiting.add(Thread.ofVirtual().start(() -> {
                    try {
                        statuses.add(server.post("/v1/completions", "{\"prompt\":\"Hi\",\"max_tokens\":2}", KEY).statusCode());
                    } catch (Exception e) {
                        statuses.add(-1);
                    }
                }));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (scheduler.queued() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, scheduler.queued());
            HttpResponse<String> refused = server.post("/v1/completions", "{\"prompt\":\"Hi\",\"max_tokens\":2}", KEY);
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("rate_limit_error", Http.JSON.readTree(refused.body()).get("error").get("type").asText());
        } finally {
            scheduler.resume();
        }
        for (Thread t : waiting) {
            t.join(30_000);
        }
        assertEquals(List.of(200, 200), statuses, "the queued requests complete once the loop runs");
        stillServes();
    }
}
