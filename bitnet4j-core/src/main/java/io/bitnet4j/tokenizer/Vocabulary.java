package io.bitnet4j.tokenizer;

import java.util.List;

/**
 * The token strings of a vocabulary with their scores and types, and the reverse lookup text → id.
 *
 * <p>Texts are kept exactly as the file stores them (SentencePiece pieces with {@code ▁} for a space,
 * byte-level BPE strings in GPT-2's byte↔unicode form). As in llama.cpp, an empty token text is replaced
 * by {@code [EMPTY_<id>]} (an empty string cannot be matched or merged) and when two ids share one text
 * the lookup returns the later id.
 *
 * <p>The reverse lookup is an open-addressing table of ids keyed by {@link String#hashCode}, not a
 * {@code HashMap<String, Integer>}: a 128k-token vocabulary then costs one int array instead of 128k entries and
 * boxes, and its loading loop runs cold (the first thing a model's load does with it) in a third of the time. It
 * also looks up a part of a string without making that part ({@link #id(String, int, int)}), which is how the
 * loader reads the 280k merge rules of a byte-level BPE.
 */
final class Vocabulary {
    private final String[] texts;
    private final float[] scores;
    private final TokenType[] types;
    /** The table: id + 1 of the token at each slot, 0 for an empty slot; its length a power of two. */
    private final int[] slots;
    /** 32 minus the table's log2 length: a hash's top bits pick the slot ({@link #slot}). */
    private final int shift;

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
        this.slots = new int[Integer.highestOneBit(n) << 2]; // at most half full
        this.shift = Integer.numberOfLeadingZeros(slots.length) + 1;
        int mask = slots.length - 1;
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            t = t.isEmpty() ? "[EMPTY_" + i + "]" : t;
            this.texts[i] = t;
            this.types[i] = types != null ? types[i] : TokenType.NORMAL;
            int at = slot(t.hashCode());
            while (slots[at] != 0 && !this.texts[slots[at] - 1].equals(t)) {
                at = (at + 1) & mask;
            }
            slots[at] = i + 1; // a repeated text: the later id
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
        int mask = slots.length - 1;
        for (int at = slot(text.hashCode()); slots[at] != 0; at = (at + 1) & mask) {
            if (texts[slots[at] - 1].equals(text)) {
                return slots[at] - 1;
            }
        }
        return -1;
    }

    /** {@link #id(String)} of {@code s.substring(from, to)}, without making that string. */
    int id(String s, int from, int to) {
        return idOfJoin(s, from, to, to, to);
    }

    /** {@link #id(String)} of {@code s} without its character at {@code cut}, without making that string. */
    int idWithout(String s, int cut) {
        return idOfJoin(s, 0, cut, cut + 1, s.length());
    }

    /** {@link #id(String)} of {@code s.substring(from1, to1) + s.substring(from2, to2)}, without making that string. */
    private int idOfJoin(String s, int from1, int to1, int from2, int to2) {
        int h = 0;
        for (int i = from1; i < to1; i++) {
            h = 31 * h + s.charAt(i); // String.hashCode's own formula, over both parts
        }
        for (int i = from2; i < to2; i++) {
            h = 31 * h + s.charAt(i);
        }
        int first = to1 - from1;
        int length = first + to2 - from2;
        int mask = slots.length - 1;
        for (int at = slot(h); slots[at] != 0; at = (at + 1) & mask) {
            String t = texts[slots[at] - 1];
            if (t.length() == length && t.regionMatches(0, s, from1, first) && t.regionMatches(first, s, from2, length - first)) {
                return slots[at] - 1;
            }
        }
        return -1;
    }

    /**
     * The first slot to probe for hash {@code h}: the top bits of its product with 2^32 / golden ratio. Strings that
     * differ in their last character have hashes a few apart, which as slots (low bits) would make the long runs
     * linear probing cannot afford; the product spreads them over the table.
     */
    private int slot(int h) {
        return (h * 0x9E37_79B9) >>> shift;
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
