package io.bitnet4j.tokenizer;

/** The algorithm-specific half of a tokenizer: plain text → ids, and how ordinary tokens render as bytes. */
sealed interface SubwordEncoder permits SpmEncoder, BpeEncoder {
    Tokenizer.Kind kind();

    /**
     * Appends the ids of {@code text}, which holds no special-token text, to {@code out}.
     *
     * @param atStart the text begins the input or follows a special token (SentencePiece then prefixes a space)
     */
    void encode(String text, boolean atStart, IntList out);

    /** The bytes of a token that is not CONTROL, UNKNOWN or USER_DEFINED (those render as their text). */
    byte[] render(int id, String text, TokenType type);
}
