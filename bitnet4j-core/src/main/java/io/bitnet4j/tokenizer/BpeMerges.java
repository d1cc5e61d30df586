package io.bitnet4j.tokenizer;

import java.util.List;

/**
 * The merge rules of a byte-level BPE: (left symbol, right symbol) → (rank, result symbol), lower rank
 * merging first. An open-addressing table of primitive longs: LLaMA 3 has 280 147 rules, and a
 * {@code HashMap<Long, ...>} of them would cost several times the memory and a box per lookup. Each slot's key and
 * value sit side by side (one cache miss a probe where two arrays cost two: the insert was a quarter of loading LLaMA 3's
 * rules), and a key is never 0, so a new table needs no filling.
 */
final class BpeMerges {
    /** Slot {@code i}'s key at {@code 2i} (0: empty), its packed rule at {@code 2i + 1}. */
    private long[] table;
    private int size;

    BpeMerges(int expected) {
        table = new long[2 * capacityFor(Math.max(16, expected))];
    }

    /** The smallest power of two that holds {@code n} rules at most two thirds full. */
    private static int capacityFor(int n) {
        int needed = Math.toIntExact(Math.max(16, (long) n * 3 / 2 + 1));
        int capacity = Integer.highestOneBit(needed);
        return capacity == needed ? capacity : Math.multiplyExact(capacity, 2);
    }

    /**
     * Rules from GGUF {@code tokenizer.ggml.merges}: "left right" strings, ranked by position. As in
     * llama.cpp the string splits at its first space after the first character, and a repeated pair keeps
     * its first rank.
     */
    static BpeMerges fromMergeList(List<String> merges, BpeSymbols symbols) {
        BpeMerges table = new BpeMerges(merges.size());
        char[] cs = new char[64];
        for (int rank = 0; rank < merges.size(); rank++) {
            String m = merges.get(rank);
            int n = m.length();
            int space = n > 1 ? m.indexOf(' ', 1) : -1;
            if (space < 0 || space == n - 1) {
                throw new IllegalArgumentException("merge " + rank + " '" + m + "' is not two symbols separated by a space");
            }
            if (n > cs.length) {
                cs = new char[Math.max(n, 2 * cs.length)];
            }
            m.getChars(0, n, cs, 0);
            // the parts and their join looked up in place: three strings less per rule (280k rules in LLaMA 3)
            table.putIfAbsent(symbols.intern(cs, 0, space, space, space), symbols.intern(cs, space + 1, n, n, n), rank,
                    symbols.intern(cs, 0, space, space + 1, n));
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
        int i = indexOf(key);
        return table[2 * i] == key ? table[2 * i + 1] : -1;
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
        if (3 * (size + 1) > table.length) { // more than two thirds of the table.length / 2 slots
            grow();
        }
        long key = key(left, right);
        int i = indexOf(key);
        if (table[2 * i] == key) {
            return;
        }
        table[2 * i] = key;
        table[2 * i + 1] = ((long) rank << 32) | (result & 0xFFFF_FFFFL);
        size++;
    }

    private void grow() {
        long[] old = table;
        table = new long[Math.multiplyExact(old.length, 2)];
        for (int j = 0; j < old.length; j += 2) {
            if (old[j] != 0) {
                int i = indexOf(old[j]); // an empty slot: the keys are distinct
                table[2 * i] = old[j];
                table[2 * i + 1] = old[j + 1];
            }
        }
    }

    /** The slot holding {@code key}, or the empty slot where it would go (linear probing from {@link #slot}). */
    private int indexOf(long key) {
        int mask = table.length / 2 - 1;
        int i = slot(key, mask);
        while (table[2 * i] != 0 && table[2 * i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** The pair's key: each id + 1, so that no key is 0 (an empty slot). */
    private static long key(int left, int right) {
        return ((long) (left + 1) << 32) | ((right + 1) & 0xFFFF_FFFFL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }
}
