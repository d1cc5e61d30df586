package io.bitnet4j.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The token strings of a vocabulary with their scores and types, and the reverse lookup text → id.
 *
 * <p>Texts are kept exactly as the file stores them (SentencePiece pieces with {@code ▁} for a space,
 * byte-level BPE strings in GPT-2's byte↔unicode form). As in llama.cpp, an empty token text is replaced
 * by {@code [EMPTY_<id>]} (an empty string cannot be matched or merged) and when two ids share one text
 * the lookup returns the later id.
 */
final class Vocabulary {
    private final String[] texts;
    private final float[] scores;
    private final TokenType[] types;
    private final Map<String, Integer> ids;

    /**
     * @param scores one per token, or null for all 0 (BPE vocabularies have none)
     * @param types one per token, or null for all {@link TokenType#NORMAL}
     */
    Vocabulary(List<String> texts, float[] scores, TokenType[] types) {
        int n = texts.size();
        if (n == 0) {
            throw new IllegalArgumentException("the vocabulary is empty");
        }
        if (scores != null && scores.length != n) {
            throw new IllegalArgumentException("the vocabulary has " + n + " tokens but " + scores.length + " scores");
        }
        if (types != null && types.length != n) {
            throw new IllegalArgumentException("the vocabulary has " + n + " tokens but " + types.length + " token types");
        }
        this.texts = new String[n];
        this.scores = scores != null ? scores.clone() : new float[n];
        this.types = new TokenType[n];
        this.ids = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            this.texts[i] = t.isEmpty() ? "[EMPTY_" + i + "]" : t;
            this.types[i] = types != null ? types[i] : TokenType.NORMAL;
            ids.put(this.texts[i], i);
        }
    }

    int size() {
        return texts.length;
    }

    String text(int id) {
        return texts[id];
    }

    float score(int id) {
        return scores[id];
    }

    TokenType type(int id) {
        return types[id];
    }

    /** The id of the token whose text is exactly {@code text}, or -1. */
    int id(String text) {
        Integer id = ids.get(text);
        return id != null ? id : -1;
    }

    /** Marks a token CONTROL (llama.cpp does this for end-of-turn tokens found by their text). Loading only. */
    void markControl(int id) {
        types[id] = TokenType.CONTROL;
    }

    /** Throws unless {@code id} is a valid token id; {@code where} says which id, for the message. */
    void checkId(int id, String where) {
        if (id < 0 || id >= texts.length) {
            throw new IllegalArgumentException(where + ": token id " + id + " is out of range [0, " + texts.length + ")");
        }
    }
}
