package io.bitnet4j.server;

import io.bitnet4j.generate.FinishReason;
import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.generate.Sampler;
import io.bitnet4j.generate.TextStream;
import io.bitnet4j.model.SequenceBatch;
import io.bitnet4j.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The decode loop: one thread that owns a {@link SequenceBatch} of {@code parallel} slots. Requests wait in a
 * bounded queue; whenever a slot is free the next one takes it. Each turn of the loop pushes one chunk of every
 * new prompt through the model (so a long prompt delays the running streams by one chunk at a time, not by
 * its whole length), then every sequence whose prompt is done samples its next token and all of them run
 * through the model together in one step. A sequence ends at an
 * end-of-generation token, a stop string, its token limit or a full context, or when its client has gone
 * ({@link Job#cancel()}); its slot is free for the next request at once.
 *
 * <p>Each sequence samples as {@link io.bitnet4j.generate.Generator} does (same sampler, penalties over the prompt,
 * same text handling), and the batch gives each slot the logits it would get alone, so a request's text does not
 * depend on what else is running.
 */
final class BatchScheduler implements AutoCloseable {
    /** Prompt tokens per chunk: enough rows for the matrix products to pay, few enough to keep streams flowing. */
    static final int PREFILL_CHUNK = 64;

    private final SequenceBatch batch;
    private final Tokenizer tokenizer;
    private final BlockingQueue<Job> waiting;
    private final Running[] slots;
    private final int[] stepSlots;
    private final int[] stepTokens;
    private final Thread thread;
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger largestStep = new AtomicInteger();
    private volatile boolean open = true;
    private boolean paused;
    /** Whether the loop is waiting in {@link #awaitResumed}. */
    private boolean held;
    /** The generation {@link #warmUp} queued, if any: cancelled by the next request, and not counted as cancelled. */
    private volatile Job warmUp;

    /** A sequence being generated in a slot. */
    private static final class Running {
        final Job job;
        final Sampler sampler;
        final TextStream text;
        /** Prompt tokens processed so far; the sequence samples once all are. */
        int prefilled;
        int generated;

        Running(Job job, Sampler sampler, TextStream text) {
            this.job = job;
            this.sampler = sampler;
            this.text = text;
        }
    }

    /** Starts the loop over {@code batch} (which it closes on {@link #close()}), queueing at most {@code maxQueued} requests. */
    BatchScheduler(SequenceBatch batch, Tokenizer tokenizer, int maxQueued) {
        this.batch = batch;
        this.tokenizer = tokenizer;
        this.waiting = new LinkedBlockingQueue<>(maxQueued);
        this.slots = new Running[batch.maxSequences()];
        this.stepSlots = new int[slots.length];
        this.stepTokens = new int[slots.length];
        this.thread = Thread.ofPlatform().name("bitnet4j-decode").daemon().start(this::loop);
    }

    /**
     * Queues a generation whose output nobody reads, for a server that waits for its first request: a fresh JVM
     * compiles the engine's code as it first runs it, so the first request would otherwise pay for that. The next
     * {@link #submit} cancels it, and the loop frees its slot before that request's first step, so it never holds a
     * request up. Does nothing if the queue is full. Returns the job (tests).
     */
    Job warmUp(int[] prompt, GenerationSettings settings) {
        Job job = new Job(prompt, settings);
        warmUp = job;
        waiting.offer(job);
        return job;
    }

    /** Queues a generation; throws {@link ApiError} 429 when the queue is full. */
    Job submit(int[] prompt, GenerationSettings settings) {
        Job w = warmUp;
        if (w != null) {
            w.cancel(); // a request has come: the warm-up's work is done or no longer wanted
        }
        Job job = new Job(prompt, settings);
        if (!open) {
            throw new ApiError(503, "server_error", "the server is shutting down", null, null);
        }
        if (!waiting.offer(job)) {
            throw ApiError.overloaded(waiting.size());
        }
        return job;
    }

    /** Positions each sequence may hold. */
    int contextLength() {
        return batch.contextLength();
    }

    /** Requests waiting for a slot. */
    int queued() {
        return waiting.size();
    }

    /** Sequences being generated. */
    int active() {
        return active.get();
    }

    /** Slots in all. */
    int parallel() {
        return slots.length;
    }

    /** Generations stopped because their client went away (for tests and monitoring). */
    int cancelledCount() {
        return cancelled.get();
    }

    /** The most sequences one step has decoded together so far (for tests and monitoring). */
    int largestStep() {
        return largestStep.get();
    }

    /**
     * Holds the loop before its next step and returns once it is held, so that from then on nothing leaves the queue
     * until {@link #resume} (tests use this to fill the queue deterministically). Waiting matters: an idle loop may be
     * polling the queue when the pause comes, and would otherwise take the next request before it looks again.
     */
    synchronized void pause() throws InterruptedException {
        paused = true;
        while (!held && open) {
            wait(100);
        }
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    private synchronized void awaitResumed() throws InterruptedException {
        while (paused && open) {
            if (!held) {
                held = true;
                notifyAll(); // the pause() waiting for it
            }
            wait(100);
        }
        held = false;
    }

    private void loop() {
        while (open) {
            try {
                awaitResumed();
                admit();
                if (active.get() == 0) {
                    Job next = waiting.poll(100, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        start(next);
                    }
                    continue;
                }
                decodeOnce();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                failAll("generation failed: " + e); // keep serving; the requests in flight get a 500
            }
        }
        failAll("the server is shutting down");
        ApiError closing = new ApiError(503, "server_error", "the server is shutting down", null, null);
        for (Job j; (j = waiting.poll()) != null; ) {
            j.send(new JobEvent.Failed(closing));
        }
    }

    /** Moves waiting requests into free slots. */
    private void admit() {
        for (int s = 0; s < slots.length && !waiting.isEmpty(); s++) {
            if (slots[s] == null) {
                Job next = waiting.poll();
                if (next != null) {
                    startIn(s, next);
                }
            }
        }
    }

    private void start(Job job) {
        for (int s = 0; s < slots.length; s++) {
            if (slots[s] == null) {
                startIn(s, job);
                return;
            }
        }
        throw new IllegalStateException("no free slot"); // start is only called with every slot free
    }

    private void startIn(int slot, Job job) {
        if (job.isCancelled()) {
            countCancelled(job);
            return;
        }
        batch.reset(slot);
        GenerationSettings settings = job.settings();
        Sampler sampler = new Sampler(settings.sampler(), tokenizer.vocabSize());
        try {
            for (int id : job.prompt()) {
                sampler.accept(id); // the penalties see the prompt too, as in Generator
            }
        } catch (RuntimeException e) {
            job.send(new JobEvent.Failed(ApiError.internal("the prompt could not be processed: " + e.getMessage())));
            return;
        }
        slots[slot] = new Running(job, sampler, new TextStream(settings.stopStrings(), t -> job.send(new JobEvent.Text(t))));
        active.incrementAndGet();
    }

    /** Pushes the next chunk of slot {@code s}'s prompt through the model; false (the job failed, the slot freed) on error. */
    private boolean prefillChunk(int s, Running r) {
        int[] prompt = r.job.prompt();
        int n = Math.min(PREFILL_CHUNK, prompt.length - r.prefilled);
        try {
            batch.prefill(s, Arrays.copyOfRange(prompt, r.prefilled, r.prefilled + n));
        } catch (RuntimeException e) {
            free(s);
            r.job.send(new JobEvent.Failed(ApiError.internal("the prompt could not be processed: " + e.getMessage())));
            return false;
        }
        r.prefilled += n;
        return true;
    }

    /**
     * Prefills a chunk of every new prompt; samples the next token of every sequence whose prompt is done, ends those
     * that are finished, and runs the rest in one step.
     */
    private void decodeOnce() {
        int count = 0;
        for (int s = 0; s < slots.length; s++) {
            Running r = slots[s];
            if (r == null) {
                continue;
            }
            if (r.job.isCancelled()) {
                countCancelled(r.job);
                free(s);
                continue;
            }
            if (r.prefilled < r.job.prompt().length && (!prefillChunk(s, r) || r.prefilled < r.job.prompt().length)) {
                continue; // failed, or more of the prompt next turn
            }
            int id = r.sampler.sample(batch.logits(s));
            r.sampler.accept(id);
            r.generated++;
            FinishReason reason = null;
            if (tokenizer.isEndOfGeneration(id)) {
                r.generated--; // the end token is not part of the completion
                reason = FinishReason.EOS;
            } else if (r.text.add(tokenizer.piece(id))) {
                reason = FinishReason.STOP;
            } else if (r.generated == r.job.settings().maxTokens() || batch.position(s) == batch.contextLength()) {
                reason = FinishReason.LENGTH;
            }
            if (reason != null) {
                r.text.finish();
                free(s); // first, so that whoever gets the last event sees the slot free
                r.job.send(new JobEvent.Finished(reason, r.job.prompt().length, r.generated));
            } else {
                stepSlots[count] = s;
                stepTokens[count++] = id;
            }
        }
        if (count > 0) {
            batch.step(count, stepSlots, stepTokens);
            largestStep.accumulateAndGet(count, Math::max);
        }
    }

    /** Counts a generation stopped because its client went away (the warm-up has none). */
    private void countCancelled(Job job) {
        if (job != warmUp) {
            cancelled.incrementAndGet();
        }
    }

    private void free(int slot) {
        slots[slot] = null;
        batch.reset(slot);
        active.decrementAndGet();
    }

    private void failAll(String message) {
        for (int s = 0; s < slots.length; s++) {
            Running r = slots[s];
            if (r != null) {
                free(s);
                r.job.send(new JobEvent.Failed(ApiError.internal(message)));
            }
        }
    }

    /** Stops the loop, fails what is queued or running, and closes the batch. */
    @Override
    public void close() {
        open = false;
        resume();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batch.close();
    }
}
