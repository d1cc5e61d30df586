package io.bitnet4j.tokenizer;

import java.util.Arrays;
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
 * slot holds the token's hash beside its id, so a probe touches a token only when the hashes agree. The loader of
 * a byte-level BPE looks up the two parts of each of 280k merge rules and their join, given as ranges of a char
 * array ({@link #id(char[], int, int, int, int)}); those compare against a copy of all token texts laid end to end
 * in one array. Both spare cache misses: the String objects of a vocabulary lie all over the heap, and a CPU profile
 * of LLaMA 3's load put most of the merge rules' lookup time on the first touch of a token's String.
 */
final class Vocabulary {
    private final String[] texts;
    private final float[] scores;
    private final TokenType[] types;
    /** All token texts end to end: token {@code i} is {@code chars[starts[i] .. starts[i + 1])}. */
    private final char[] chars;
    private final int[] starts;
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
        this.starts = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            t = t.isEmpty() ? "[EMPTY_" + i + "]" : t;
            this.texts[i] = t;
            this.types[i] = types != null ? types[i] : TokenType.NORMAL;
            total += t.length();
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("the vocabulary's texts hold more than 2^31 characters");
            }
            starts[i + 1] = (int) total;
        }
        this.chars = new char[(int) total];
        for (int i = 0; i < n; i++) {
            this.texts[i].getChars(0, this.texts[i].length(), chars, starts[i]);
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

    /** The slot holding {@code text} (whose hash is {@code h}), or the empty slot where it would go. */
    private int indexOf(String text, int h) {
        int mask = slots.length - 1;
        int at = slot(h);
        while (slots[at] != 0 && !(hashOf(slots[at]) == h && texts[idOf(slots[at])].equals(text))) {
            at = (at + 1) & mask;
        }
        return at;
    }

    /**
     * {@link #id(String)} of the text {@code cs[from1 .. to1)} followed by {@code cs[from2 .. to2)} (the second range
     * may be empty), without making that string. Loading only: it reads the texts laid end to end.
     */
    int id(char[] cs, int from1, int to1, int from2, int to2) {
        int h = 0;
        for (int i = from1; i < to1; i++) {
            h = 31 * h + cs[i]; // String.hashCode's own formula, over both ranges
        }
        for (int i = from2; i < to2; i++) {
            h = 31 * h + cs[i];
        }
        int first = to1 - from1;
        int length = first + to2 - from2;
        int mask = slots.length - 1;
        for (int at = slot(h); slots[at] != 0; at = (at + 1) & mask) {
            if (hashOf(slots[at]) != h) {
                continue;
            }
            int id = idOf(slots[at]);
            int start = starts[id];
            if (starts[id + 1] - start == length && Arrays.equals(chars, start, start + first, cs, from1, to1)
                    && Arrays.equals(chars, start + first, start + length, cs, from2, to2)) {
                return id;
            }
        }
        return -1;
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
