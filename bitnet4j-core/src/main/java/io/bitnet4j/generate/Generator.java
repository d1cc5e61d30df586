package io.bitnet4j.generate;

import io.bitnet4j.model.Session;
import io.bitnet4j.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Generates text with one {@link Session}: the prompt is processed as one batch (cut into the session's
 * batches), then one token at a time is sampled and fed back until an end-of-generation token, a stop string,
 * the token limit or the end of the context. Text is streamed to a callback in chunks that never split a UTF-8
 * character and never contain (part of) a stop string.
 *
 * <p>The generator remembers which tokens its session holds. A later prompt that starts with the same tokens
 * (the next turn of a conversation, a prompt extended by the user) reuses their cache and only the rest is
 * processed; where the prompts part ways the session is rewound to the common prefix, which is a full reset
 * when they share nothing.
 *
 * <p>A prompt longer than the context fails with {@link PromptTooLongException} before anything is processed;
 * prompts are never truncated. Not thread-safe: one generator (and one session) per conversation.
 */
public final class Generator implements AutoCloseable {
    private final Session session;
    private final Tokenizer tokenizer;
    private final double loadSeconds;
    private int[] cached = new int[64];
    /** The next prompt runs on the calling thread alone if it has at most this many tokens to process (0: never). */
    private int callingThreadPromptTokens;

    /**
     * A generator over {@code session} (which it resets now, and closes on {@link #close()}) and the model's
     * {@code tokenizer}.
     */
    public Generator(Session session, Tokenizer tokenizer) {
        this(session, tokenizer, 0);
    }

    /** As {@link #Generator(Session, Tokenizer)}, reporting {@code loadSeconds} as the model's load time in every result. */
    public Generator(Session session, Tokenizer tokenizer, double loadSeconds) {
        this.session = Objects.requireNonNull(session, "session");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (tokenizer.vocabSize() != session.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model's vocabulary has "
                    + session.config().vocabSize());
        }
        this.loadSeconds = loadSeconds;
        session.reset(); // the tokens a session was given before are unknown here
    }

    /**
     * Makes the next prompt this generator processes run on the calling thread alone, its session's worker threads idle,
     * if it has at most {@code maxTokens} tokens to process (then, or if it has more, the setting is spent). For the first
     * prompt of a JVM: while the kernels are still being compiled, a second computing thread mostly takes a core from
     * the JIT's threads, and a prompt of a few tokens has little work to share. The results are the same either way.
     */
    public Generator nextPromptOnCallingThread(int maxTokens) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("a prompt of at most " + maxTokens + " tokens");
        }
        callingThreadPromptTokens = maxTokens;
        return this;
    }

    /**
     * Generates a continuation of {@code prompt}, tokenized as llama.cpp's tools do: with the model's BOS and
     * with special-token text (such as {@code <|eot_id|>}) turned into those tokens. An empty prompt is BOS alone.
     */
    public GenerationResult generate(String prompt, GenerationSettings settings, Consumer<String> onText) {
        int[] tokens = tokenizer.encode(prompt, true, true);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("the prompt is empty and this vocabulary adds no BOS: nothing to generate from");
        }
        return generate(tokens, settings, onText);
    }

    /** Generates a continuation of the token ids {@code prompt}, streaming the text to {@code onText} (may be null). */
    public GenerationResult generate(int[] prompt, GenerationSettings settings, Consumer<String> onText) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(settings, "settings");
        long start = System.nanoTime();
        int reused = cachedPrefix(prompt);
        float[] logits = prefill(prompt);
        long promptDone = System.nanoTime();

        Sampler sampler = new Sampler(settings.sampler(), tokenizer.vocabSize());
        for (int id : prompt) {
            sampler.accept(id); // the penalties see the prompt too, as in llama.cpp
        }
        TextStream text = new TextStream(settings.stopStrings(), onText);
        int[] generated = new int[Math.max(16, Math.min(settings.maxTokens(), session.contextLength()))];
        int count = 0;
        FinishReason reason = FinishReason.LENGTH;
        while (settings.maxTokens() < 0 || count < settings.maxTokens()) {
            int id = sampler.sample(logits);
            sampler.accept(id);
            if (count == generated.length) {
                generated = Arrays.copyOf(generated, 2 * count);
            }
            generated[count++] = id;
            if (tokenizer.isEndOfGeneration(id)) {
                reason = FinishReason.EOS;
                break;
            }
            if (text.add(tokenizer.piece(id))) {
                reason = FinishReason.STOP;
                break;
            }
            if (count == settings.maxTokens() || session.position() == session.contextLength()) {
                break; // LENGTH: the last token is not fed back, as nothing will use its logits (or there is no room)
            }
            remember(session.position(), id);
            logits = session.forward(id);
        }
        text.finish();
        long end = System.nanoTime();
        Timings timings = new Timings(loadSeconds, (promptDone - start) / 1e9, prompt.length - reused, (end - promptDone) / 1e9, count);
        return new GenerationResult(text.text(), Arrays.copyOf(generated, count), reason, prompt.length, reused, timings);
    }

    /**
     * Makes the session hold exactly {@code prompt}, processing only what is not cached already, and returns the
     * last token's logits (the session's buffer, overwritten by the next call). What {@link #generate} does before
     * it samples; at least the last token is always processed, since its logits are needed.
     */
    public float[] prefill(int[] prompt) {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        if (prompt.length > session.contextLength()) {
            throw new PromptTooLongException(prompt.length, session.contextLength());
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= tokenizer.vocabSize()) {
                throw new IllegalArgumentException("prompt token " + i + " is id " + prompt[i] + ", outside the vocabulary 0.."
                        + (tokenizer.vocabSize() - 1));
            }
        }
        int keep = cachedPrefix(prompt);
        int[] rest = Arrays.copyOfRange(prompt, keep, prompt.length);
        session.rewind(keep);
        boolean alone = rest.length <= callingThreadPromptTokens;
        callingThreadPromptTokens = 0;
        float[] logits = alone ? session.forwardOnCallingThread(rest) : session.forward(rest);
        for (int i = 0; i < rest.length; i++) {
            remember(keep + i, rest[i]);
        }
        return logits;
    }

    /**
     * Runs up to {@code steps} one-token forward passes after what the session holds (the last held token again, or
     * token 0 in an empty session), then rewinds to where it was: the cache and every later result are as before,
     * but a decode step's code has run. A fresh JVM compiles the engine's code as it first runs it, so a caller with
     * time to spare (a chat waiting for its user) can pay that before a reply needs it. Stops at the context's end.
     */
    public void rehearse(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps " + steps + " must not be negative");
        }
        int held = session.position();
        int token = held > 0 ? cached[held - 1] : 0;
        try {
            for (int i = 0; i < steps && session.position() < session.contextLength(); i++) {
                session.forward(token);
            }
        } finally {
            session.rewind(held); // the positions before held were not written
        }
    }

    /** How many leading tokens of {@code prompt} the session holds already and will not process again (all but the last at most). */
    public int cachedPrefix(int[] prompt) {
        int held = session.position();
        int n = 0;
        int max = Math.min(held, prompt.length - 1);
        while (n < max && cached[n] == prompt[n]) {
            n++;
        }
        return n;
    }

    /** The token ids the session holds, in order: the last prompt and the generated tokens fed back. */
    public int[] cachedTokens() {
        return Arrays.copyOf(cached, session.position());
    }

    /** Forgets everything: the next prompt is processed in full. */
    public void reset() {
        session.reset();
    }

    public Session session() {
        return session;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Closes the session. */
    @Override
    public void close() {
        session.close();
    }

    /** Records that the session holds token {@code id} at position {@code at}. */
    private void remember(int at, int id) {
        if (at >= cached.length) {
            cached = Arrays.copyOf(cached, Math.max(at + 1, 2 * cached.length));
        }
        cached[at] = id;
    }
}
