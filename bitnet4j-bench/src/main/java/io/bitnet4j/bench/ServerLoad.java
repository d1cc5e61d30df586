package io.bitnet4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitnet4j.BitNet;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.model.Numerics;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.server.OpenAiServer;
import io.bitnet4j.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded load run of the OpenAI-compatible server, loopback only: the server runs in this JVM on
 * 127.0.0.1 at a free port, and for each {@code --parallel} setting (1 and 4) the same number of requests is sent
 * by 1, 4 and 16 concurrent clients (each client one request at a time). Prints requests/s, generated tokens/s
 * (from the responses' usage) and the mean latency per request, as a Markdown table.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp bitnet4j-bench/target/benchmarks.jar io.bitnet4j.bench.ServerLoad MODEL.gguf [REQUESTS [MAX_TOKENS [THREADS]]]
 * </pre>
 * REQUESTS (default 16) is the total per cell, split over the clients; MAX_TOKENS (default 16) per request;
 * THREADS (default 0 = one per processor) for the model.
 */
public final class ServerLoad {
    private static final int[] PARALLEL = {1, 4};
    private static final int[] CLIENTS = {1, 4, 16};
    private static final String[] PROMPTS = {"Once upon a time", "The little dog", "Lily wanted to", "One day, a bird"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerLoad() {}

    /** One cell of the table. */
    record Cell(int parallel, int clients, int requests, double seconds, long tokens, double meanLatency) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ServerLoad MODEL.gguf [REQUESTS [MAX_TOKENS [THREADS]]]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        List<Cell> cells = new ArrayList<>();
        try (LoadedModel m = BitNet.load(model, SessionOptions.defaults().withThreads(threads).withContextLength(256)
                .withNumerics(Numerics.FAST))) {
            for (int parallel : PARALLEL) {
                ServerConfig config = ServerConfig.defaults("load").withPort(0).withParallel(parallel).withMaxQueued(256);
                try (OpenAiServer server = OpenAiServer.start(m, config)) {
                    String url = "http://127.0.0.1:" + server.port() + "/v1/completions";
                    run(url, Math.min(4, requests), 4, maxTokens, parallel); // warm-up: JIT and caches
                    for (int clients : CLIENTS) {
                        cells.add(run(url, requests, clients, maxTokens, parallel));
                        System.err.println(format(cells.getLast()));
                    }
                }
            }
        }
        System.out.println("| --parallel | clients | requests | wall s | requests/s | tokens/s | mean latency s |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        cells.forEach(c -> System.out.println(format(c)));
    }

    private static String format(Cell c) {
        return String.format(Locale.ROOT, "| %d | %d | %d | %.2f | %.2f | %.1f | %.2f |", c.parallel(), c.clients(), c.requests(),
                c.seconds(), c.requests() / c.seconds(), c.tokens() / c.seconds(), c.meanLatency());
    }

    /** {@code requests} requests spread over {@code clients} concurrent clients; returns the cell's figures. */
    private static Cell run(String url, int requests, int clients, int maxTokens, int parallel) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        List<Future<long[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                int mine = requests / clients + (c < requests % clients ? 1 : 0);
                results.add(pool.submit(() -> client(http, url, client, mine, maxTokens)));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long tokens = 0;
        long latencyNanos = 0;
        for (Future<long[]> f : results) {
            long[] r = f.get();
            tokens += r[0];
            latencyNanos += r[1];
        }
        return new Cell(parallel, clients, requests, seconds, tokens, latencyNanos / 1e9 / requests);
    }

    /** One client's requests, one after another: {generated tokens, summed latency in ns}. */
    private static long[] client(HttpClient http, String url, int client, int count, int maxTokens) throws Exception {
        long tokens = 0;
        long latency = 0;
        for (int i = 0; i < count; i++) {
            String body = "{\"prompt\":\"" + PROMPTS[(client + i) % PROMPTS.length] + "\",\"max_tokens\":" + maxTokens
                    + ",\"temperature\":0.8,\"seed\":" + (client * 1000 + i) + "}";
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            latency += System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }
            JsonNode usage = JSON.readTree(r.body()).get("usage");
            tokens += usage.get("completion_tokens").asLong();
        }
        return new long[] {tokens, latency};
    }
}
