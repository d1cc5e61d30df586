package io.bitnet4j.generate;

import io.bitnet4j.tokenizer.ChatMessage;
import io.bitnet4j.tokenizer.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A multi-turn chat: each {@link #send} renders the whole conversation with the model's {@link ChatTemplate},
 * tokenizes it (with BOS, special-token text parsed) and generates the assistant's reply, which joins the
 * conversation. The {@link Generator} keeps the KV cache between turns, so a turn processes only the tokens
 * that the previous turns' cache does not already hold: usually just the reply's closing tokens and the new
 * message.
 *
 * <pre>{@code
 * try (Conversation chat = model.newChat("You are a helpful assistant.")) {
 *     chat.send("Hello!", GenerationSettings.defaults(), System.out::print);
 *     chat.send("Tell me more.", GenerationSettings.defaults(), System.out::print);
 * }
 * }</pre>
 *
 * <p>A turn whose prompt no longer fits the context fails with {@link PromptTooLongException} and leaves the
 * conversation as it was: {@link #reset()} (or a longer context) is the way on. Not thread-safe.
 */
public final class Conversation implements AutoCloseable {
    private final Generator generator;
    private final ChatTemplate template;
    private final String systemPrompt;
    private final List<ChatMessage> messages = new ArrayList<>();

    /**
     * A conversation on {@code generator} (closed with it) in {@code template}'s format, starting with
     * {@code systemPrompt} as the system message (null or blank for none).
     */
    public Conversation(Generator generator, ChatTemplate template, String systemPrompt) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.template = Objects.requireNonNull(template, "template");
        this.systemPrompt = systemPrompt == null || systemPrompt.isBlank() ? null : systemPrompt;
        reset();
    }

    /** Adds {@code userMessage}, generates the reply (streamed to {@code onText}, may be null) and adds it too. */
    public GenerationResult send(String userMessage, GenerationSettings settings, Consumer<String> onText) {
        Objects.requireNonNull(userMessage, "userMessage");
        messages.add(ChatMessage.user(userMessage));
        GenerationResult result;
        try {
            int[] prompt = generator.tokenizer().encode(template.render(messages, true), true, true);
            result = generator.generate(prompt, settings, onText);
        } catch (RuntimeException e) {
            messages.removeLast();
            throw e;
        }
        messages.add(ChatMessage.assistant(result.text()));
        return result;
    }

    /**
     * Processes the next turn's {@linkplain ChatTemplate#opening opening} (the conversation so far and the user turn's
     * header) so that the next {@link #send} finds it cached and processes only the message and what follows it. A
     * chat can call this while the user types: in a fresh JVM the model's first forward pass is the slow one (its code
     * is still being compiled), and this way it runs before the message comes rather than after. Returns how many tokens
     * the opening has (0 when it has none). If processing fails, the cache is emptied and the exception thrown; the
     * conversation itself is unchanged either way.
     */
    public int prefillOpening() {
        int[] opening = generator.tokenizer().encode(template.opening(messages), true, true);
        if (opening.length == 0) {
            return 0;
        }
        try {
            generator.prefill(opening);
        } catch (RuntimeException e) {
            generator.reset(); // a forward pass that failed part way leaves no cache to trust
            throw e;
        }
        return opening.length;
    }

    /**
     * {@link Generator#rehearse}: decode steps thrown away, for a caller with time to spare before the next turn (a
     * chat waiting for its user) to have their code compiled before a reply needs it. Changes no result.
     */
    public void rehearse(int steps) {
        generator.rehearse(steps);
    }

    /** The messages so far, the system message first if there is one. */
    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** Forgets every turn (the system message stays) and the cache. */
    public void reset() {
        messages.clear();
        if (systemPrompt != null) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        generator.reset();
    }

    public ChatTemplate template() {
        return template;
    }

    /** Closes the generator and its session. */
    @Override
    public void close() {
        generator.close();
    }
}
