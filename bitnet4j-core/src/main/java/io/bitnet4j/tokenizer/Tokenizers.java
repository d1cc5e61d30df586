package io.bitnet4j.tokenizer;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Loads {@link Tokenizer}s: from GGUF metadata (vocab-only or full model files), from a llama2.c
 * {@code tokenizer.bin}, or from a LLaMA 3 tiktoken {@code tokenizer.model}. All three give the same
 * {@link Tokenizer} behaviour for the same vocabulary.
 */
public final class Tokenizers {
    private static final Pattern TIKTOKEN_LINE = Pattern.compile("[A-Za-z0-9+/]+=*\\s\\d+\\s*");

    private Tokenizers() {}

    /**
     * The tokenizer described by {@code tokenizer.ggml.*}: {@code model} {@code llama} (SentencePiece) or
     * {@code gpt2} (byte-level BPE, pre-tokenizers {@code llama-bpe} and {@code gpt-2} and their aliases,
     * and llama.cpp's {@code default}). Throws {@link IllegalArgumentException} naming the key for a missing
     * or unknown model, a missing tokens array or malformed arrays.
     */
    public static Tokenizer fromGguf(GgufMetadata metadata) {
        return GgufTokenizerLoader.load(metadata);
    }

    /** A llama2.c {@code tokenizer.bin} (see {@link Llama2cTokenizerLoader} for the mapping to a vocabulary). */
    public static Tokenizer fromLlama2c(Path tokenizerBin) throws IOException {
        return Llama2cTokenizerLoader.load(tokenizerBin);
    }

    /** A LLaMA 3 tiktoken {@code tokenizer.model}: lines {@code base64 rank}, plus LLaMA 3's 256 special tokens. */
    public static Tokenizer fromTiktoken(Path tokenizerModel) throws IOException {
        return TiktokenLoader.load(tokenizerModel);
    }

    /**
     * The tokenizer in {@code file}, whatever of the three formats it is: a GGUF file (by its magic), a
     * tiktoken file (a first line {@code base64 rank}), else a llama2.c tokenizer.
     */
    public static Tokenizer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(256);
        }
        if (head.length >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
            try (GgufFile gguf = GgufFile.open(file)) {
                return fromGguf(gguf.metadata());
            }
        }
        String start = new String(head, StandardCharsets.ISO_8859_1);
        int eol = start.indexOf('\n');
        if (eol > 0 && TIKTOKEN_LINE.matcher(start.substring(0, eol)).matches()) {
            return fromTiktoken(file);
        }
        return fromLlama2c(file);
    }
}
