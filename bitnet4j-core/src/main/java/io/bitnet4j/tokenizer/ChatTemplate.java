package io.bitnet4j.tokenizer;

import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The chat formats of the models we run, rendered as their Jinja templates render them (not a Jinja
 * engine: the file's template is only recognised by distinctive substrings, as llama.cpp does).
 *
 * <p>The rendered text never starts with BOS although the official templates do: the tokenizer adds BOS
 * itself (encode with {@code addSpecial}), and encode with {@code parseSpecial} so that {@code <|eot_id|>},
 * {@code <s>} and the like become their tokens.
 */
public enum ChatTemplate {
    /**
     * LLaMA 3 Instruct: {@code <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} per message
     * (content trimmed), and {@code <|start_header_id|>assistant<|end_header_id|>\n\n} to prompt a reply.
     */
    LLAMA3("llama3"),
    /**
     * BitNet b1.58 2B-4T ({@code microsoft/bitnet-b1.58-2B-4T} tokenizer_config): {@code Role: content<|eot_id|>}
     * per message, the role capitalised ({@code System}, {@code User}, {@code Assistant}) and the content
     * trimmed, and {@code Assistant: } (with the space) to prompt a reply.
     */
    BITNET("bitnet"),
    /**
     * Llama 2 Chat (Meta's template): {@code [INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] assistant </s><s>[INST] user [/INST]}.
     * An optional system message first, then user and assistant turns alternating; contents are trimmed.
     * The prompt for a reply is the end of the last user turn, so {@code addGenerationPrompt} adds nothing.
     */
    LLAMA2("llama2");

    private final String id;

    ChatTemplate(String id) {
        this.id = id;
    }

    /** The name used to choose this template ({@code llama3}, {@code bitnet}, {@code llama2}). */
    public String id() {
        return id;
    }

    /**
     * The prompt text for {@code messages}.
     *
     * @param addGenerationPrompt end with the text that starts the assistant's reply
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("no chat messages to render");
        }
        StringBuilder out = new StringBuilder();
        switch (this) {
            case LLAMA3 -> {
                for (ChatMessage m : messages) {
                    out.append("<|start_header_id|>").append(m.role()).append("<|end_header_id|>\n\n")
                            .append(strip(m.content())).append("<|eot_id|>");
                }
                if (addGenerationPrompt) {
                    out.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
                }
            }
            case BITNET -> {
                for (ChatMessage m : messages) {
                    out.append(capitalize(m.role())).append(": ").append(strip(m.content())).append("<|eot_id|>");
                }
                if (addGenerationPrompt) {
                    out.append("Assistant: ");
                }
            }
            case LLAMA2 -> renderLlama2(messages, out);
        }
        return out.toString();
    }

    /**
     * The start of the next prompt that does not depend on the next user message: {@code history} rendered with a
     * user turn added, up to where that turn's content would begin, without the whitespace before it (which the
     * tokenizer would join to the message's first word). Every prompt {@link #render} makes for {@code history} and
     * one more user message starts with it, so a chat can process it before the message is typed.
     */
    public String opening(List<ChatMessage> history) {
        List<ChatMessage> next = new ArrayList<>(history);
        next.add(ChatMessage.user(PLACEHOLDER));
        String text = render(next, true);
        return text.substring(0, text.indexOf(PLACEHOLDER)).stripTrailing();
    }

    /** Stands for the next message in {@link #opening}: not whitespace (contents are trimmed), nothing a template writes. */
    private static final String PLACEHOLDER = "\uE000";

    private static void renderLlama2(List<ChatMessage> messages, StringBuilder out) {
        String system = messages.getFirst().role().equals("system") ? messages.getFirst().content() : null;
        List<ChatMessage> turns = system != null ? messages.subList(1, messages.size()) : messages;
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("the llama2 chat template needs a user message after the system message");
        }
        for (int i = 0; i < turns.size(); i++) {
            ChatMessage m = turns.get(i);
            String expected = i % 2 == 0 ? "user" : "assistant";
            if (!m.role().equals(expected)) {
                throw new IllegalArgumentException("the llama2 chat template needs an optional system message, then user and "
                        + "assistant messages alternating; message " + (system != null ? i + 1 : i) + " is '" + m.role() + "'");
            }
            if (expected.equals("user")) {
                String content = i == 0 && system != null ? "<<SYS>>\n" + system + "\n<</SYS>>\n\n" + m.content() : m.content();
                out.append(i == 0 ? "" : "<s>").append("[INST] ").append(strip(content)).append(" [/INST]");
            } else {
                out.append(' ').append(strip(m.content())).append(" </s>");
            }
        }
    }

    /** The template called {@code name} (case-insensitive); throws listing the names. */
    public static ChatTemplate byName(String name) {
        for (ChatTemplate t : values()) {
            if (t.id.equalsIgnoreCase(name.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown chat template '" + name + "'; known: "
                + Arrays.stream(values()).map(ChatTemplate::id).collect(Collectors.joining(", ")));
    }

    /**
     * The template whose Jinja source {@code jinja} is, recognised by distinctive substrings, or empty.
     * The official BitNet 2B-4T GGUF carries a placeholder template ({@code Human: … BITNETAssistant:}) that
     * is not the model's training format; it is recognised as {@link #BITNET} on purpose.
     */
    public static Optional<ChatTemplate> recognise(String jinja) {
        if (jinja.contains("<|start_header_id|>") && jinja.contains("<|end_header_id|>")) {
            return Optional.of(LLAMA3);
        }
        if (jinja.contains("BITNETAssistant") || (jinja.contains("<|eot_id|>") && jinja.contains("'Assistant: '"))) {
            return Optional.of(BITNET);
        }
        if (jinja.contains("[INST]") && jinja.contains("<<SYS>>")) {
            return Optional.of(LLAMA2);
        }
        return Optional.empty();
    }

    /**
     * The template for a model: the file's {@code tokenizer.chat_template} when it is one we know, else by
     * architecture and vocabulary: a BitNet architecture with {@code <|eot_id|>} → BitNet, a LLaMA 3
     * vocabulary → LLaMA 3, a SentencePiece LLaMA vocabulary → Llama 2. Empty when none fits.
     */
    public static Optional<ChatTemplate> detect(GgufMetadata md) {
        Optional<ChatTemplate> declared = md.contains("tokenizer.chat_template")
                ? recognise(md.getString("tokenizer.chat_template")) : Optional.empty();
        if (declared.isPresent()) {
            return declared;
        }
        String arch = md.getString("general.architecture", "").toLowerCase(Locale.ROOT);
        List<String> tokens = md.findArray(GgufTokenizerLoader.TOKENS)
                .filter(a -> a.elementType() == GgufValueType.STRING).map(GgufArray::strings).orElse(List.of());
        if (arch.contains("bitnet") && tokens.contains("<|eot_id|>")) {
            return Optional.of(BITNET);
        }
        if (tokens.contains("<|start_header_id|>") && tokens.contains("<|eot_id|>")) {
            return Optional.of(LLAMA3);
        }
        if (md.getString(GgufTokenizerLoader.MODEL, "").equals("llama")) {
            return Optional.of(LLAMA2);
        }
        return Optional.empty();
    }

    /** Python's {@code str.strip()} (Jinja's {@code trim}): Unicode whitespace off both ends. */
    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isPythonSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isPythonSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** Jinja's {@code capitalize}: the first character upper case, the rest lower case. */
    static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }
}
