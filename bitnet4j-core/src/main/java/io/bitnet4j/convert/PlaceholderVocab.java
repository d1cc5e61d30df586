package io.bitnet4j.convert;

import io.bitnet4j.tokenizer.TokenType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A made-up byte-level BPE vocabulary of a given size, for models with random weights that must still load and
 * tokenize in llama.cpp: the 256 byte tokens (GPT-2's byte-to-character mapping, so every text tokenizes), then
 * two-byte tokens with their merges, then unused placeholders, and a last run of control tokens from the preset's
 * BOS id ({@code <|begin_of_text|>}, {@code <|end_of_text|>}, {@code <|reserved_special_token_N|>}).
 */
final class PlaceholderVocab {
    private PlaceholderVocab() {}

    /** GPT-2's printable stand-in for each byte: printable Latin-1 bytes stand for themselves, the rest for U+0100 on. */
    static String[] byteTokens() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = String.valueOf((char) (printable ? b : next++));
        }
        return out;
    }

    /** The {@code tokenizer.ggml.*} keys of a vocabulary of {@code size} tokens whose control tokens start at {@code bos}. */
    static Map<String, GgufValue> of(int size, int bos) {
        if (bos < 256 || bos >= size - 1) {
            throw new IllegalArgumentException("a placeholder vocabulary of " + size + " tokens cannot put BOS at " + bos);
        }
        String[] bytes = byteTokens();
        List<String> tokens = new ArrayList<>(List.of(bytes));
        List<Integer> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            types.add(TokenType.NORMAL.code());
        }
        List<String> merges = new ArrayList<>();
        for (int a = 0; a < 256 && tokens.size() < bos; a++) {
            for (int b = 0; b < 256 && tokens.size() < bos; b++) {
                tokens.add(bytes[a] + bytes[b]);
                types.add(TokenType.NORMAL.code());
                merges.add(bytes[a] + " " + bytes[b]);
            }
        }
        for (int i = 0; tokens.size() < bos; i++) {
            tokens.add("<|placeholder_" + i + "|>");
            types.add(TokenType.UNUSED.code());
        }
        for (int i = 0; tokens.size() < size; i++) {
            tokens.add(i == 0 ? "<|begin_of_text|>" : i == 1 ? "<|end_of_text|>" : "<|reserved_special_token_" + (i - 2) + "|>");
            types.add(TokenType.CONTROL.code());
        }
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.string("gpt-2"));
        md.put("tokenizer.ggml.tokens", GgufArray.ofStrings(tokens));
        md.put("tokenizer.ggml.token_type", GgufArray.ofInt32(types.stream().mapToInt(Integer::intValue).toArray()));
        md.put("tokenizer.ggml.merges", GgufArray.ofStrings(merges));
        md.put("tokenizer.ggml.bos_token_id", GgufValue.u32(bos));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(bos + 1));
        md.put("tokenizer.ggml.add_bos_token", GgufValue.bool(true));
        return md;
    }
}
