package io.bitnet4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bitnet4j.generate.FinishReason;
import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.generate.Generator;
import io.bitnet4j.model.SessionOptions;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The decode loop on its own: a generation that fails inside the engine is answered with a 500 event (what the
 * HTTP layer turns into a 500 answer) and the loop goes on serving.
 */
class BatchSchedulerTest {

    private static JobEvent last(Job job) throws InterruptedException {
        while (true) {
            JobEvent e = job.events().poll(30, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no end event within 30 s");
            }
            if (!(e instanceof JobEvent.Text)) {
                return e;
            }
        }
    }

    @Test
    void aLongPromptIsPrefilledInChunksBetweenStepsWithTheTextOfAGenerator() throws Exception {
        try (TestServer server = new TestServer(c -> c.withParallel(2))) {
            int vocab = server.model.tokenizer().vocabSize();
            int[] prompt = new SplittableRandom(7).ints(3 * BatchScheduler.PREFILL_CHUNK + 5, 3, vocab).toArray();
            prompt[0] = 1; // BOS
            GenerationSettings settings = GenerationSettings.greedy(12);
            String want;
            SessionOptions chunked = server.model.sessionOptions().withBatchSize(BatchScheduler.PREFILL_CHUNK);
            try (Generator g = new Generator(server.model.model().newSession(chunked), server.model.tokenizer())) {
                want = g.generate(prompt, settings, null).text();
            }
            BatchScheduler scheduler = server.server.scheduler();
            Job running = scheduler.submit(new int[] {1, 400}, GenerationSettings.greedy(200)); // a stream the prefill must not stop
            Job job = scheduler.submit(prompt, settings);
            StringBuilder got = new StringBuilder();
            while (true) {
                JobEvent e = job.events().poll(30, TimeUnit.SECONDS);
                if (e instanceof JobEvent.Text t) {
                    got.append(t.text());
                } else {
                    assertInstanceOf(JobEvent.Finished.class, e);
                    break;
                }
            }
            assertEquals(want, got.toString());
            assertInstanceOf(JobEvent.Finished.class, last(running));
        }
    }

    @Test
    void anEngineFailureIsA500AndTheLoopGoesOn() throws Exception {
        try (TestServer server = new TestServer(c -> c.withParallel(2))) {
            BatchScheduler scheduler = server.server.scheduler();
            // the HTTP layer checks prompts; handed in directly, an id outside the vocabulary fails in the engine
            Job bad = scheduler.submit(new int[] {1, 1_000_000}, GenerationSettings.greedy(4));
            JobEvent.Failed failed = assertInstanceOf(JobEvent.Failed.class, last(bad));
            assertEquals(500, failed.error().status());
            assertEquals("server_error", failed.error().type());
            Job good = scheduler.submit(new int[] {1, 400, 403}, GenerationSettings.greedy(4));
            JobEvent.Finished done = assertInstanceOf(JobEvent.Finished.class, last(good));
            assertEquals(FinishReason.LENGTH, done.reason());
            assertEquals(3, done.promptTokens());
            assertEquals(4, done.completionTokens());
            assertEquals(0, scheduler.active());
        }
    }
}
