package io.bitnet4j.generate;

/**
 * Thrown when a prompt does not fit in the session's context. Prompts are never truncated silently: which part of
 * a prompt can be dropped is the caller's decision. Nothing was processed when this is thrown.
 */
public final class PromptTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int promptTokens;
    private final int contextLength;

    PromptTooLongException(int promptTokens, int contextLength) {
        super("the prompt is " + promptTokens + " tokens but the context holds " + contextLength
                + "; use a longer context or a shorter prompt");
        this.promptTokens = promptTokens;
        this.contextLength = contextLength;
    }

    /** The prompt's length in tokens. */
    public int promptTokens() {
        return promptTokens;
    }

    /** The positions the session's context holds. */
    public int contextLength() {
        return contextLength;
    }
}
