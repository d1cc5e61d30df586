package io.bitnet4j.convert;

/** The token types of {@code tokenizer.ggml.token_type}, as llama.cpp numbers them. */
public enum TokenType {
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int id;

    TokenType(int id) {
        this.id = id;
    }

    /** The value stored in the GGUF array. */
    public int id() {
        return id;
    }
}
