package io.bitnet4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitnet4j.BitNet;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.testing.Fixtures;
import io.bitnet4j.tokenizer.ChatTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The stories260K fixture served on 127.0.0.1 at a free port, with the llama2 chat format (the model has none of
 * its own), plus the plain HTTP calls the tests make.
 */
final class TestServer implements AutoCloseable {
    static final String MODEL_ID = "stories260K";

    final LoadedModel model;
    final OpenAiServer server;
    final HttpClient http = HttpClient.newHttpClient();

    /** A server with {@code configure} applied to the test defaults (port 0, llama2 template). */
    TestServer(SessionOptions options, UnaryOperator<ServerConfig> configure) throws IOException {
        this.model = BitNet.load(Fixtures.require("models/stories260K/stories260K.gguf"), options);
        ServerConfig config = ServerConfig.defaults(MODEL_ID).withPort(0).withChatTemplate(ChatTemplate.LLAMA2);
        try {
            this.server = OpenAiServer.start(model, configure.apply(config));
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    TestServer(UnaryOperator<ServerConfig> configure) throws IOException {
        this(SessionOptions.defaults().withThreads(1), configure);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return post(path, body, null);
    }

    HttpResponse<String> post(String path, String body, String apiKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a streaming request and returns the concatenated text of its {@code data:} chunks (checking the [DONE] end). */
    String streamedText(String path, String body) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode());
        }
        StringBuilder text = new StringBuilder();
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                JsonNode choices = Http.JSON.readTree(data).get("choices");
                if (choices.isEmpty()) {
                    continue;
                }
                JsonNode c = choices.get(0);
                JsonNode piece = c.has("delta") ? c.get("delta").get("content") : c.get("text");
                if (piece != null && !piece.isNull()) {
                    text.append(piece.asText());
                }
            }
        }
        if (!done) {
            throw new IllegalStateException("the stream did not end with data: [DONE]");
        }
        return text.toString();
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
