package io.bitnet4j.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads a LLaMA 3 tiktoken {@code tokenizer.model}: one line per token, {@code base64(token bytes) rank}.
 * The ranks are the token ids and the merge priorities (tiktoken merges the adjacent pair whose
 * concatenation has the lowest rank). The 256 LLaMA 3 special tokens follow the ranked ones, named and
 * numbered as in Meta's {@code tokenizer.py} and the llama-bpe GGUF vocabulary, with BOS
 * {@code <|begin_of_text|>}, EOS {@code <|end_of_text|>} and LLaMA 3's pre-tokenizer.
 */
final class TiktokenLoader {
    /** LLaMA 3 reserves 256 special-token ids after the ranked tokens. */
    static final int LLAMA3_SPECIAL_TOKENS = 256;

    private TiktokenLoader() {}

    static Tokenizer load(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        String[] texts = new String[lines.size()];
        int count = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = path.getFileName() + " line " + (i + 1);
            int space = line.indexOf(' ');
            if (space <= 0 || space != line.lastIndexOf(' ')) {
                throw new IllegalArgumentException(where + ": expected 'base64 rank', got '" + cut(line) + "'");
            }
            int rank = parseRank(line.substring(space + 1), where);
            if (rank >= texts.length || texts[rank] != null) {
                throw new IllegalArgumentException(where + ": rank " + rank
                        + (rank >= texts.length ? " is not below the number of lines " + texts.length : " appears twice"));
            }
            try {
                texts[rank] = ByteLevel.encode(Base64.getDecoder().decode(line.substring(0, space)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the token is not valid base64: " + e.getMessage(), e);
            }
            count++;
        }
        if (count == 0) {
            throw new IllegalArgumentException(path + " holds no tokens");
        }
        for (int rank = 0; rank < count; rank++) {
            if (texts[rank] == null) {
                throw new IllegalArgumentException(path.getFileName() + ": rank " + rank + " is missing (ranks must be 0.." + (count - 1) + ")");
            }
        }
        return build(Arrays.asList(texts).subList(0, count));
    }

    private static Tokenizer build(List<String> ranked) {
        int n = ranked.size();
        List<String> texts = new ArrayList<>(ranked);
        texts.addAll(llama3SpecialTokens());
        TokenType[] types = new TokenType[texts.size()];
        Arrays.fill(types, 0, n, TokenType.NORMAL);
        Arrays.fill(types, n, types.length, TokenType.CONTROL);
        Vocabulary vocab = new Vocabulary(texts, null, types);
        BpeSymbols symbols = new BpeSymbols(vocab);
        BpeMerges merges = BpeMerges.fromTokenRanks(vocab, n, symbols);
        SpecialIds ids = new SpecialIds();
        ids.bos = n;
        ids.eos = n + 1;
        ids.addBos = true;
        return new VocabTokenizer(vocab, ids.resolve(vocab), new BpeEncoder(vocab, symbols, merges, PreTokenizer.LLAMA3));
    }

    /** Meta's LLaMA 3 special tokens, in id order. */
    static List<String> llama3SpecialTokens() {
        List<String> names = new ArrayList<>(List.of(
                "<|begin_of_text|>", "<|end_of_text|>",
                "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
                "<|reserved_special_token_2|>", "<|reserved_special_token_3|>",
                "<|start_header_id|>", "<|end_header_id|>",
                "<|reserved_special_token_4|>", "<|eot_id|>"));
        for (int i = 5; names.size() < LLAMA3_SPECIAL_TOKENS; i++) {
            names.add("<|reserved_special_token_" + i + "|>");
        }
        return names;
    }

    private static int parseRank(String s, String where) {
        try {
            int rank = Integer.parseInt(s.strip());
            if (rank < 0) {
                throw new NumberFormatException("negative");
            }
            return rank;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": rank '" + cut(s) + "' is not a non-negative integer", e);
        }
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
