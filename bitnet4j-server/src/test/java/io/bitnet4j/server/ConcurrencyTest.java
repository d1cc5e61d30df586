package io.bitnet4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.model.SessionOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several requests at once: decoded together in one batch, each must come out exactly as it does alone (fixed
 * seeds, sampling on); and a client that leaves mid-stream must free its slot.
 */
class ConcurrencyTest {
    private static final int REQUESTS = 8;

    private static String request(int i) {
        String[] starts = {"Once upon a time", "The little dog", "Lily wanted to", "One day, a bird", "Tom and Sue", "The sun was",
            "A big red ball", "Mom said"};
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + starts[i] + "\"}],\"stream\":true,\"max_tokens\":"
                + (16 + 3 * i) + ",\"temperature\":0.9,\"top_k\":40,\"seed\":" + (1000 + i) + "}";
    }

    @Test
    void simultaneousStreamsGiveTheTextsOfTheSameRequestsOneAtATime() throws Exception {
        try (TestServer server = new TestServer(c -> c.withParallel(4).withMaxQueued(REQUESTS))) {
            List<String> alone = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                alone.add(server.streamedText("/v1/chat/completions", request(i)));
            }
            List<String> together = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> futures = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    int n = i;
                    futures.add(clients.submit(() -> server.streamedText("/v1/chat/completions", request(n))));
                }
                for (Future<String> f : futures) {
                    together.add(f.get());
                }
            }
            assertEquals(alone, together);
            assertTrue(server.server.scheduler().largestStep() > 1, "some steps decoded several sequences together");
            assertTrue(alone.stream().distinct().count() > 1, "the requests differ, so a mix-up would show");
        }
    }

    @Test
    void aWarmUpChangesNoAnswerAndGivesWayToTheFirstRequest() throws Exception {
        String body = request(0).replace("\"stream\":true", "\"stream\":false");
        String plain;
        try (TestServer server = new TestServer(c -> c.withParallel(1))) {
            plain = server.post("/v1/chat/completions", body).body();
        }
        try (TestServer server = new TestServer(c -> c.withParallel(1))) {
            BatchScheduler scheduler = server.server.scheduler();
            // the loop held before the warm-up is queued: it waits there when the request comes, and must give way
            scheduler.pause();
            Job warmUp = scheduler.warmUp(new int[] {1, 2, 3}, io.bitnet4j.generate.GenerationSettings.greedy(16));
            assertEquals(1, scheduler.queued());
            try (ExecutorService client = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<String> first = client.submit(() -> server.post("/v1/chat/completions", body).body());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (scheduler.queued() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                scheduler.resume();
                assertEquals(sansId(plain), sansId(first.get()));
            }
            assertTrue(warmUp.isCancelled());
            assertTrue(warmUp.events().isEmpty(), "the warm-up never ran: " + warmUp.events());
            assertEquals(0, scheduler.cancelledCount(), "the warm-up's cancellation is not a client's");
            // an idle server's warm-up runs to its end, and the next request is answered as before
            server.server.warmUp();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while ((scheduler.queued() > 0 || scheduler.active() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, scheduler.active() + scheduler.queued(), "the warm-up ended");
            assertEquals(sansId(plain), sansId(server.post("/v1/chat/completions", body).body()));
        }
    }

    /** A completion's JSON without its id and creation time, which differ from call to call. */
    private static String sansId(String json) {
        return json.replaceAll("\"id\":\"[^\"]*\"", "").replaceAll("\"created\":\\d+", "");
    }

    @Test
    void aClientThatLeavesMidStreamFreesItsSlot() throws Exception {
        SessionOptions longContext = SessionOptions.defaults().withThreads(1).withContextLength(4096);
        try (TestServer server = new TestServer(longContext, c -> c.withParallel(1))) {
            BatchScheduler scheduler = server.server.scheduler();
            // a long generation (up to 4096 tokens), read a little, then hang up
            String body = "{\"prompt\":\"Once\",\"stream\":true,\"max_tokens\":100000}";
            try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                String seen = "";
                byte[] buf = new byte[256];
                while (!seen.contains("data: ")) {
                    int n = in.read(buf);
                    assertTrue(n > 0, "the stream started");
                    seen += new String(buf, 0, n, StandardCharsets.UTF_8);
                }
                assertEquals(1, scheduler.active());
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (scheduler.cancelledCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, scheduler.cancelledCount(), "the generation stopped when its client left");
            String next = server.streamedText("/v1/completions", "{\"prompt\":\"Hi\",\"stream\":true,\"max_tokens\":4}");
            assertTrue(!next.isEmpty(), "a following request completes");
        }
    }
}
