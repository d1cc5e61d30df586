package io.bitnet4j;

import io.bitnet4j.generate.Conversation;
import io.bitnet4j.generate.GenerationResult;
import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.generate.Generator;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.model.Model;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.tokenizer.ChatTemplate;
import io.bitnet4j.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A model loaded by {@link BitNet#load}: weights, tokenizer and chat template. Generations and chats each get
 * their own session (KV cache and threads); the model itself is shared and read-only. Close it to unmap the
 * file, after closing the generators and conversations it made.
 */
public final class LoadedModel implements AutoCloseable {
    private final GgufFile file;
    private final Model model;
    private final Tokenizer tokenizer;
    private final Optional<ChatTemplate> chatTemplate;
    private final SessionOptions options;
    private final double loadSeconds;
    private final LayoutCacheOutcome layoutCache;

    LoadedModel(GgufFile file, Model model, Tokenizer tokenizer, Optional<ChatTemplate> chatTemplate, SessionOptions options,
            double loadSeconds, LayoutCacheOutcome layoutCache) {
        this.file = file;
        this.model = model;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.options = options;
        this.loadSeconds = loadSeconds;
        this.layoutCache = layoutCache;
        if (tokenizer.vocabSize() != model.config().vocabSize()) {
            throw new IllegalArgumentException(file.path() + ": the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocabulary has " + model.config().vocabSize());
        }
    }

    /** Generates a continuation of {@code prompt} in a session of its own, streaming text to {@code onText} (may be null). */
    public GenerationResult generate(String prompt, GenerationSettings settings, Consumer<String> onText) {
        try (Generator g = newGenerator()) {
            return g.generate(prompt, settings, onText);
        }
    }

    /** A generator with a session of its own, which keeps its cache from one prompt to the next; close it when done. */
    public Generator newGenerator() {
        return new Generator(model.newSession(options), tokenizer, loadSeconds);
    }

    /** A conversation in the model's chat format without a system message; see {@link #newChat(String)}. */
    public Conversation newChat() {
        return newChat(null);
    }

    /**
     * A conversation in the model's chat format ({@link #chatTemplate()}), starting with {@code systemPrompt} (null
     * for none). Throws if the model's template is not one bitnet4j knows: then build a {@link Conversation} with an
     * explicit {@link ChatTemplate}.
     */
    public Conversation newChat(String systemPrompt) {
        ChatTemplate template = chatTemplate.orElseThrow(() -> new IllegalArgumentException(file.path().getFileName()
                + " has no chat template bitnet4j recognises (known: " + Arrays.stream(ChatTemplate.values()).map(ChatTemplate::id)
                .collect(Collectors.joining(", ")) + "); build a Conversation with one of them explicitly"));
        return new Conversation(newGenerator(), template, systemPrompt);
    }

    public Model model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The chat format the file declares or implies, if it is one bitnet4j knows. */
    public Optional<ChatTemplate> chatTemplate() {
        return chatTemplate;
    }

    /** The options every session of this model uses. */
    public SessionOptions sessionOptions() {
        return options;
    }

    /** Seconds {@link BitNet#load} took. */
    public double loadSeconds() {
        return loadSeconds;
    }

    /** What the load did with the layout cache ({@link BitNet#load(java.nio.file.Path, SessionOptions, LayoutCacheSettings)}). */
    public LayoutCacheOutcome layoutCache() {
        return layoutCache;
    }

    /** Unmaps the file; sessions still open must not be used afterwards. */
    @Override
    public void close() {
        file.close();
    }
}
