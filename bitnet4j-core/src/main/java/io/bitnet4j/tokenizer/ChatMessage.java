package io.bitnet4j.tokenizer;

/**
 * One turn of a conversation.
 *
 * @param role {@code system}, {@code user} or {@code assistant} (LLaMA 3 and BitNet also render other roles)
 * @param content the text of the turn
 */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        if (role == null || content == null) {
            throw new IllegalArgumentException("a chat message needs a role and content (got " + role + ", " + content + ")");
        }
        if (role.isBlank()) {
            throw new IllegalArgumentException("a chat message's role is blank");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
