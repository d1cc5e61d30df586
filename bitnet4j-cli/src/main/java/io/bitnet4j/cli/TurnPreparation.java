package io.bitnet4j.cli;

import io.bitnet4j.generate.Conversation;
import java.io.IOException;
import java.io.InputStream;

/**
 * Gets a chat's first turn ready while its user types, on a thread of its own: {@link Conversation#prefillOpening}
 * (the prompt's part that comes before the message), then up to {@value #REHEARSED_STEPS} decode steps thrown away
 * ({@link Conversation#rehearse}). In a fresh JVM a model's first forward passes are slow while their code is
 * compiled; this way they run before the message comes. Measured on a 2B model (LLaMA 3 vocabulary, two threads, the
 * message sent 5 s after the start): the first reply's first text 0.21-0.25 s after the message instead of 0.54-0.69
 * s, as soon as the second turn's (0.28-0.41 s); with one step instead of four 0.26-0.32 s (docs/bench-log.md, session
 * 21). A message that comes sooner stops the rehearsal ({@link #await}); input already waiting (piped) is not prepared for.
 *
 * <p>{@link #await} hands the conversation back; until then nothing else may touch it. A preparation that fails is
 * only a preparation: the first message is then processed whole, and reports what is wrong itself.
 */
final class TurnPreparation {
    static final int REHEARSED_STEPS = 4;
    /**
     * How long the chat waits for input before it prepares: input that ends at once ({@code chat </dev/null}) then
     * exits without waiting for a prefill (1.66 s on a 2B model when it did), and a person typing loses nothing.
     */
    static final long GRACE_MILLIS = 50;

    private final Thread thread; // null: nothing to prepare
    private volatile boolean stop;

    private TurnPreparation(Conversation chat) {
        this.thread = chat == null ? null
                : Thread.ofPlatform().daemon().name("bitnet4j-chat-prepare").unstarted(() -> prepare(chat));
    }

    /**
     * Starts preparing {@code chat}'s first turn, unless {@code in} already holds input: then the message is there
     * (piped), and splitting its prompt would only cost time (0.1 s on the 2B model, as each part starts cold).
     */
    static TurnPreparation start(Conversation chat, InputStream in) {
        TurnPreparation p = new TurnPreparation(waiting(in) ? null : chat);
        if (p.thread != null) {
            p.thread.start();
        }
        return p;
    }

    private static boolean waiting(InputStream in) {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false; // the first read will say what is wrong
        }
    }

    private void prepare(Conversation chat) {
        try {
            Thread.sleep(GRACE_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        if (stop) {
            return; // input came (or ended) at once: nothing to prepare
        }
        try {
            chat.prefillOpening();
            for (int i = 0; i < REHEARSED_STEPS && !stop; i++) {
                chat.rehearse(1);
            }
        } catch (RuntimeException e) {
            // the first send processes the whole prompt and reports any error itself
        }
    }

    /** Stops the rehearsal and waits until the preparation is over (at once after the first time). */
    void await() {
        stop = true;
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the conversation must not be used while the preparation runs
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
