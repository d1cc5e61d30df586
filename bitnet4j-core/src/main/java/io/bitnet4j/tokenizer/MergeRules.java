package io.bitnet4j.tokenizer;

/**
 * What byte-level BPE's merge loop asks of its rules: the rule for two adjacent symbols, if there is one. A rule is
 * packed in a long: its rank (lower merges first) in the high 32 bits, the symbol the pair becomes in the low 32.
 * Implementations are immutable, or safe to share between threads.
 */
interface MergeRules {
    /** The packed rule for the pair ({@link #rank}, {@link #result}), or -1 when the pair does not merge. */
    long find(int left, int right);

    static int rank(long rule) {
        return (int) (rule >>> 32);
    }

    static int result(long rule) {
        return (int) rule;
    }

    static long pack(int rank, int result) {
        return ((long) rank << 32) | (result & 0xFFFF_FFFFL);
    }
}
