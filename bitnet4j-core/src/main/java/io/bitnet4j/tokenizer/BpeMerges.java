package io.bitnet4j.tokenizer;

import java.util.List;

/**
 * The merge rules of a byte-level BPE: (left symbol, right symbol) → (rank, result symbol), lower rank
 * merging first. An open-addressing table of primitive longs: LLaMA 3 has 280 147 rules, and a
 * {@code HashMap<Long, ...>} of them would cost several times the memory and a box per lookup.
 */
final class BpeMerges {
    private static final long EMPTY = -1L;

    private long[] keys;
    private long[] values;
    private int size;

    BpeMerges(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) * 2;
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
    }

    /**
     * Rules from GGUF {@code tokenizer.ggml.merges}: "left right" strings, ranked by position. As in
     * llama.cpp the string splits at its first space after the first character, and a repeated pair keeps
     * its first rank.
     */
    static BpeMerges fromMergeList(List<String> merges, BpeSymbols symbols) {
        BpeMerges table = new BpeMerges(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String m = merges.get(rank);
            int space = m.length() > 1 ? m.indexOf(' ', 1) : -1;
            if (space < 0 || space == m.length() - 1) {
                throw new IllegalArgumentException("merge " + rank + " '" + m + "' is not two symbols separated by a space");
            }
            // the parts and their join looked up in place: three strings less per rule (280k rules in LLaMA 3)
            table.putIfAbsent(symbols.intern(m, 0, space), symbols.intern(m, space + 1, m.length()), rank,
                    symbols.internWithout(m, space));
        }
        return table;
    }

    /**
     * Rules implied by tiktoken ranks: any two tokens whose concatenation is a token merge, with the rank
     * of that token (tiktoken merges the adjacent pair whose concatenation has the lowest rank). Every
     * split of every ranked token into two tokens is one rule.
     */
    static BpeMerges fromTokenRanks(Vocabulary vocab, int rankedTokens, BpeSymbols symbols) {
        BpeMerges table = new BpeMerges(rankedTokens * 2);
        for (int id = 0; id < rankedTokens; id++) {
            String text = vocab.text(id);
            for (int cut = 1; cut < text.length(); cut++) {
                int left = vocab.id(text.substring(0, cut));
                int right = left >= 0 ? vocab.id(text.substring(cut)) : -1;
                if (right >= 0) {
                    table.putIfAbsent(left, right, id, symbols.intern(text));
                }
            }
        }
        return table;
    }

    /** The packed rule for the pair, or -1: use {@link #rank} and {@link #result}. */
    long find(int left, int right) {
        long key = key(left, right);
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
            if (keys[i] == EMPTY) {
                return -1;
            }
        }
    }

    static int rank(long rule) {
        return (int) (rule >>> 32);
    }

    static int result(long rule) {
        return (int) rule;
    }

    int size() {
        return size;
    }

    private void putIfAbsent(int left, int right, int rank, int result) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        long key = key(left, right);
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = ((long) rank << 32) | (result & 0xFFFF_FFFFL);
        size++;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[Math.multiplyExact(oldKeys.length, 2)];
        values = new long[keys.length];
        java.util.Arrays.fill(keys, EMPTY);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }
}
