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
 * <p>The reverse lookup is an open-addressing table keyed by {@link String#hashCode}, not a
 * {@code HashMap<String, Integer>}: a 128k-token vocabulary then costs one array instead of 128k entries and
 * boxes, and its loading loop runs cold (the first thing a model's load does with it) in a third of the time. Each
 * slot holds the token's hash beside its id, so a probe touches a token only when the hashes agree.
 */
final class Vocabulary {
    private final String[] texts;
    private final float[] scores;
    private final TokenType[] types;
    /** The table: the token's hash in the high 32 bits of its slot and its id + 1 in the low 32, 0 for an empty slot. */
    private final long[] slots;
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
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            this.texts[i] = t.isEmpty() ? "[EMPTY_" + i + "]" : t;
            this.types[i] = types != null ? types[i] : TokenType.NORMAL;
        }
        this.slots = new long[Integer.highestOneBit(n) << 2]; // at most half full
        this.shift = Integer.numberOfLeadingZeros(slots.length) + 1;
        for (int i = 0; i < n; i++) {
            String t = this.texts[i];
            int h = t.hashCode();
            slots[indexOf(t, h)] = ((long) h << 32) | (i + 1); // a repeated text: the later id
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
        long slot = slots[indexOf(text, text.hashCode())];
        return slot == 0 ? -1 : idOf(slot);
    }

    /** {@link #id(String)} of {@code a + b}, whose {@link String#hashCode} is {@code h}, without making that string. */
    int id(String a, String b, int h) {
        int mask = slots.length - 1;
        int length = a.length() + b.length();
        for (int at = slot(h); slots[at] != 0; at = (at + 1) & mask) {
            if (hashOf(slots[at]) == h) {
                String t = texts[idOf(slots[at])];
                if (t.length() == length && t.startsWith(a) && t.regionMatches(a.length(), b, 0, b.length())) {
                    return idOf(slots[at]);
                }
            }
        }
        return -1;
    }

    /** The slot holding {@code text} (whose hash is {@code h}), or the empty slot where it would go. */
    private int indexOf(String text, int h) {
        int mask = slots.length - 1;
        int at = slot(h);
        while (slots[at] != 0 && !(hashOf(slots[at]) == h && texts[idOf(slots[at])].equals(text))) {
            at = (at + 1) & mask;
        }
        return at;
    }

    private static int hashOf(long slot) {
        return (int) (slot >>> 32);
    }

    private static int idOf(long slot) {
        return (int) slot - 1;
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
