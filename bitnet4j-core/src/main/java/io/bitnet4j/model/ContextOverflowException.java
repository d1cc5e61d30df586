package io.bitnet4j.model;

/**
 * Thrown when tokens would not fit in a session's context: nothing was computed and the session is unchanged.
 * An {@link IllegalArgumentException}: the input is too long for the session as configured.
 */
public final class ContextOverflowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ContextOverflowException(int position, int tokens, int contextLength) {
        super(tokens + " token(s) at position " + position + " need " + ((long) position + tokens)
                + " positions but the context holds " + contextLength
                + (position > 0 ? " (reset the session or use a longer context)" : " (use a longer context)"));
    }
}
