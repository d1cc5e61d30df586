package io.bitnet4j.tokenizer;

/**
 * Merge rules resolved into a table of symbol pairs: (left symbol, right symbol) → (rank, result symbol), lower rank
 * merging first; the rules a tiktoken vocabulary implies, which exist only as splits of its tokens. (A GGUF file's
 * merge list is looked up by its text instead: {@link BpeMergeList}.) An open-addressing table of primitive longs, where
 * a {@code HashMap<Long, ...>} would cost several times the memory and a box per lookup. Each slot's key and value sit
 * side by side (one cache miss a probe where two arrays cost two), and a key is never 0, so a new table needs no
 * filling.
 */
final class BpeMerges implements MergeRules {
    /** Slot {@code i}'s key at {@code 2i} (0: empty), its packed rule at {@code 2i + 1}. */
    private long[] table;
    private int size;

    BpeMerges(int expected) {
        table = new long[2 * capacityFor(Math.max(16, expected))];
    }

    /** The smallest power of two that holds {@code n} rules at most two thirds full (also {@link BpeMergeList}'s). */
    static int capacityFor(int n) {
        int needed = Math.toIntExact(Math.max(16, (long) n * 3 / 2 + 1));
        int capacity = Integer.highestOneBit(needed);
        return capacity == needed ? capacity : Math.multiplyExact(capacity, 2);
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

    @Override
    public long find(int left, int right) {
        long key = key(left, right);
        int i = indexOf(key);
        return table[2 * i] == key ? table[2 * i + 1] : -1;
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
        table[2 * i + 1] = MergeRules.pack(rank, result);
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
