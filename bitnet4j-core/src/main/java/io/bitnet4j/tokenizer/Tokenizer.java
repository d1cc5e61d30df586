package io.bitnet4j.tokenizer;

/**
 * Text ↔ token ids for one vocabulary, with llama.cpp's semantics (see {@link Tokenizers} for the loaders).
 *
 * <p>Encoding: {@code encode(text, addSpecial, parseSpecial)} is llama.cpp's {@code llama_tokenize}.
 * With {@code parseSpecial}, the text of CONTROL/UNKNOWN/USER_DEFINED tokens (e.g. {@code <|eot_id|>})
 * becomes that token; without it, such text is tokenized as ordinary characters, except USER_DEFINED
 * tokens, which are always matched. {@code addSpecial} adds BOS/EOS as the model's metadata asks
 * ({@link SpecialTokens#addBos()}, {@link SpecialTokens#addEos()}), not unconditionally.
 *
 * <p>Decoding: {@link #piece(int)} is the bytes a token stands for (llama.cpp's
 * {@code llama_token_to_piece}). A piece may be part of a UTF-8 character (SentencePiece byte tokens, most
 * byte-level BPE tokens of non-Latin text), so streamed output should go through a
 * {@link Utf8StreamDecoder}; {@link #decode(int[])} concatenates the pieces and decodes once. CONTROL and
 * UNKNOWN tokens render as nothing unless {@code renderSpecial} is set. Decoding is the plain concatenation
 * of pieces, as generated text is printed: byte-level BPE decoding is exactly the inverse of encoding,
 * while SentencePiece decoding keeps the space that encoding prefixed, so {@code decode(encode(text, false,
 * false))} is {@code " " + text} for non-empty text (and a literal {@code ▁} in the text comes back as a space).
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public interface Tokenizer {
    /** The id that stands for "no such token". */
    int NO_TOKEN = -1;

    /** The two tokenizer algorithms. */
    enum Kind {
        /** SentencePiece BPE by piece score, with byte fallback (GGUF {@code tokenizer.ggml.model=llama}). */
        SENTENCEPIECE,
        /** Byte-level BPE by merge rank with a regex pre-tokenizer (GGUF {@code gpt2}; tiktoken). */
        BYTE_LEVEL_BPE
    }

    Kind kind();

    /**
     * The token ids of {@code text}.
     *
     * @param addSpecial add BOS (and EOS) where the model's metadata says to
     * @param parseSpecial turn the text of special tokens into those tokens
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** {@code encode(text, true, false)}: with the model's BOS, special-token text taken literally. */
    default int[] encode(String text) {
        return encode(text, true, false);
    }

    /** The bytes of token {@code id}; CONTROL and UNKNOWN tokens give none. */
    default byte[] piece(int id) {
        return piece(id, false);
    }

    /** The bytes of token {@code id}; with {@code renderSpecial} CONTROL and UNKNOWN tokens give their text. */
    byte[] piece(int id, boolean renderSpecial);

    /** The text of {@code ids}: their pieces concatenated, invalid UTF-8 as U+FFFD, special tokens hidden. */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids}; with {@code renderSpecial} CONTROL and UNKNOWN tokens appear as their text. */
    String decode(int[] ids, boolean renderSpecial);

    /** The number of tokens. */
    int vocabSize();

    /** The token's text as the vocabulary stores it (e.g. {@code ▁Once}, {@code ĠHello}). */
    String tokenText(int id);

    /** The id of the token whose stored text is exactly {@code text}, or {@link #NO_TOKEN}. */
    int tokenId(String text);

    TokenType tokenType(int id);

    SpecialTokens specialTokens();

    default int bos() {
        return specialTokens().bos();
    }

    default int eos() {
        return specialTokens().eos();
    }

    default int eot() {
        return specialTokens().eot();
    }

    /** Whether generating {@code id} ends the turn: EOS, EOT, EOM and the like. */
    boolean isEndOfGeneration(int id);
}
