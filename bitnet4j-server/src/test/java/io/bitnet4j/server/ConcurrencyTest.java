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
