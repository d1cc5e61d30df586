package io.bitnet4j.server;

import com.sun.net.httpserver.HttpServer;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.model.SequenceBatch;
import io.bitnet4j.tokenizer.ChatTemplate;
import io.bitnet4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible HTTP server for one model: {@code POST /v1/chat/completions}, {@code POST /v1/completions}
 * (streaming or not), {@code GET /v1/models}, {@code GET /health}. Each request is handled on a virtual thread;
 * generation runs on one decode loop that batches up to {@link ServerConfig#parallel()} sequences per step, so
 * every weight is read once per step for all of them.
 *
 * <pre>{@code
 * try (LoadedModel m = BitNet.load(path); OpenAiServer s = OpenAiServer.start(m, ServerConfig.defaults("my-model"))) {
 *     s.awaitTermination();
 * }
 * }</pre>
 */
public final class OpenAiServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService executor;
    private final BatchScheduler scheduler;
    private final Tokenizer tokenizer;

    private OpenAiServer(HttpServer http, ExecutorService executor, BatchScheduler scheduler, Tokenizer tokenizer) {
        this.http = http;
        this.executor = executor;
        this.scheduler = scheduler;
        this.tokenizer = tokenizer;
    }

    /**
     * Binds {@code config.host():config.port()} and starts serving {@code model} (which must stay open until the
     * server is closed), with the session options the model was loaded with for every sequence.
     */
    public static OpenAiServer start(LoadedModel model, ServerConfig config) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        ChatTemplate template = config.chatTemplate() != null ? config.chatTemplate() : model.chatTemplate().orElse(null);
        SequenceBatch batch = model.model().newBatch(model.sessionOptions(), config.parallel());
        BatchScheduler scheduler = new BatchScheduler(batch, model.tokenizer(), config.maxQueued());
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
            http.setExecutor(executor);
            CompletionHandler completions = new CompletionHandler(scheduler, model.tokenizer(), template, config);
            http.createContext("/", new Router(config, scheduler, completions));
            http.start();
            return new OpenAiServer(http, executor, scheduler, model.tokenizer());
        } catch (IOException | RuntimeException e) {
            executor.close();
            scheduler.close();
            throw e;
        }
    }

    /**
     * Runs a short completion request ("Hello!", {@value #WARM_UP_TOKENS} greedy tokens) while the server waits for its
     * first request: its body is read as a request's is (JSON, fields, tokenizer), then it goes through the decode loop
     * with its output thrown away; the first request cancels it. In a fresh JVM the server's code is compiled as it first
     * runs, and this way the first request does not wait for that (llama.cpp's server also decodes once before it serves).
     * Measured on a 2B model at two threads, an 8-token chat completion (docs/bench-log.md, session 21): sent 3 s after the
     * server said it was serving, 0.58-0.62 s instead of 1.34-1.42 s (later ones 0.45-0.52 s); sent at once, 1.30-1.51 s
     * against 1.32-1.63 s. Reading the body here delays "serving" by about 0.2 s. A chat-formatted warm-up prompt (15
     * tokens) slowed a request sent at once to 1.61-1.86 s: it then waited for the warm-up's longer first step.
     */
    public void warmUp() {
        // a request body read the way a request's is (JSON, fields, tokenizer): that code is compiled too
        byte[] body = ("{\"prompt\":\"Hello!\",\"max_tokens\":" + WARM_UP_TOKENS + ",\"temperature\":0}")
                .getBytes(StandardCharsets.UTF_8);
        CompletionRequest r;
        try {
            r = CompletionRequest.parse(Http.parse(body), Endpoint.TEXT, tokenizer, null, scheduler.contextLength());
        } catch (ApiError e) {
            return; // a model this request does not fit (a vocabulary without BOS, a tiny context): no warm-up
        }
        scheduler.warmUp(r.prompt(), r.settings());
    }

    /**
     * Tokens the warm-up generates: with 4 the first request took 0.81-0.88 s, with 16 0.68-0.71 s (a 10-token warm-up
     * prompt run before the server started listening; session 21).
     */
    static final int WARM_UP_TOKENS = 16;

    /** The address the server listens on (with the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The port the server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Blocks until the thread is interrupted (the server keeps running on its own threads meanwhile). */
    public void awaitTermination() throws InterruptedException {
        Thread.currentThread().join();
    }

    BatchScheduler scheduler() {
        return scheduler;
    }

    /** Stops accepting connections, fails the requests in flight, and stops the decode loop. */
    @Override
    public void close() {
        http.stop(0);
        scheduler.close();
        executor.shutdownNow();
    }
}
