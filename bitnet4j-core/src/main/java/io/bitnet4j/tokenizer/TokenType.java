package io.bitnet4j.tokenizer;

/**
 * The kind of a vocabulary entry, with the integer codes GGUF stores in {@code tokenizer.ggml.token_type}
 * (llama.cpp's {@code llama_token_type}).
 *
 * <p>The kind decides how a token is encoded and rendered: {@link #CONTROL} and {@link #UNKNOWN} tokens
 * are only recognised in text when special-token parsing is on and render as nothing unless asked;
 * {@link #USER_DEFINED} tokens are always split out of the text first and always render literally;
 * {@link #BYTE} tokens ({@code <0xNN>}) stand for one raw byte in SentencePiece vocabularies.
 */
public enum TokenType {
    UNDEFINED(0),
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    /** The types by code: a vocabulary's 128k lookups without a copy of values() each. */
    private static final TokenType[] BY_CODE = new TokenType[7];

    static {
        for (TokenType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** The GGUF code. */
    public int code() {
        return code;
    }

    /** The type with GGUF code {@code code}; throws naming the code if there is none. */
    public static TokenType fromCode(long code) {
        if (code >= 0 && code < BY_CODE.length) {
            return BY_CODE[(int) code];
        }
        throw new IllegalArgumentException("token type code " + code + " is not one of 0..6 (UNDEFINED..BYTE)");
    }

    /** CONTROL or UNKNOWN: hidden when decoding unless special tokens are rendered, matched only with parse-special. */
    public boolean isSpecial() {
        return this == CONTROL || this == UNKNOWN;
    }
}
