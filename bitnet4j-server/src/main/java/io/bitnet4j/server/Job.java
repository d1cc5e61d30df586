package io.bitnet4j.server;

import io.bitnet4j.generate.GenerationSettings;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's generation, handed from the HTTP thread that received it to the decode loop. The loop sends
 * {@link JobEvent}s; the HTTP thread takes them and writes them out, so a slow client never holds up the batch.
 * A client that goes away {@link #cancel()}s the job, and the loop frees its slot at the next step.
 *
 * @param prompt   the prompt's token ids (BOS included)
 * @param settings  token limit (negative: until the context is full), sampler and stop strings
 * @param events    what the decode loop reports, taken by the HTTP thread
 * @param cancelled set when the client has gone
 */
record Job(int[] prompt, GenerationSettings settings, BlockingQueue<JobEvent> events, AtomicBoolean cancelled) {

    Job(int[] prompt, GenerationSettings settings) {
        this(prompt, settings, new LinkedBlockingQueue<>(), new AtomicBoolean());
    }

    /** Asks the decode loop to stop this generation and free its slot. */
    void cancel() {
        cancelled.set(true);
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    /** The next event, waiting for it. */
    JobEvent next() throws InterruptedException {
        return events.take();
    }

    void send(JobEvent e) {
        events.add(e);
    }
}
