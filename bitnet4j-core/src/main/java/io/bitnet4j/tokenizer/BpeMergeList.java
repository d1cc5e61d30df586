package io.bitnet4j.tokenizer;

import java.util.List;

/**
 * The merge rules of a GGUF file's {@code tokenizer.ggml.merges}: "left right" strings ranked by position, found by
 * their text when the merge loop asks for a pair. Nothing is resolved into symbols at load: LLaMA 3's 280,147 rules
 * took three vocabulary lookups each (the two parts and their join, 840k probes of tables far bigger than the CPU's
 * caches) and a table insert, 0.16 s of a cold load. Here a table of each rule's rank by its string's hash is made when
 * the first rule is asked for (55 ms), which a LLaMA 3 prompt of common words never does: its pre-tokenizer emits a
 * piece that is a token whole, and until then no rule's text is decoded from the file either ({@code GgufArray}).
 * {@link BpeEncoder} keeps the pieces it merged, so a run asks for few rules.
 *
 * <p>As in llama.cpp a string splits at its first space after the first character, and a repeated rule keeps its first
 * rank. A pair whose join is no token still merges: the join gets an extra symbol ({@link BpeSymbols#intern}).
 */
final class BpeMergeList implements MergeRules {
    /** {@code 31^n} for short {@code n}: the weight of a suffix of length {@code n} in {@link String#hashCode}. */
    private static final int[] POWERS_OF_31 = new int[64];

    static {
        POWERS_OF_31[0] = 1;
        for (int i = 1; i < POWERS_OF_31.length; i++) {
            POWERS_OF_31[i] = 31 * POWERS_OF_31[i - 1];
        }
    }

    private final List<String> rules;
    private final BpeSymbols symbols;
    private final String source;
    /**
     * A rule's string hash in the high 32 bits of its slot and its rank + 1 in the low 32, 0 for an empty slot; null
     * until the first lookup ({@link #slots()}).
     */
    private volatile long[] slots;
    /** 32 minus the table's log2 length: a hash's top bits pick the slot. */
    private final int shift;

    private BpeMergeList(List<String> rules, BpeSymbols symbols, String source) {
        this.rules = rules;
        this.symbols = symbols;
        this.source = source;
        this.shift = Integer.numberOfLeadingZeros(BpeMerges.capacityFor(rules.size())) + 1;
    }

    /**
     * The rules of {@code merges} (ranked by position, kept without a copy: it must not change) for {@code symbols}.
     * {@code source} names the list in errors: a string that is not two symbols separated by a space is reported by
     * the lookup that makes the table, every time it is tried (checking at load would decode every rule's text).
     */
    static BpeMergeList of(List<String> merges, BpeSymbols symbols, String source) {
        return new BpeMergeList(merges, symbols, source);
    }

    /** The table, made when first asked for. */
    private long[] slots() {
        long[] table = slots;
        if (table == null) {
            synchronized (this) {
                table = slots;
                if (table == null) {
                    table = index(rules, BpeMerges.capacityFor(rules.size()), shift, source);
                    slots = table;
                }
            }
        }
        return table;
    }

    private static long[] index(List<String> rules, int capacity, int shift, String source) {
        long[] table = new long[capacity];
        int mask = capacity - 1;
        for (int rank = 0; rank < rules.size(); rank++) {
            String m = rules.get(rank);
            int space = m.length() > 1 ? m.indexOf(' ', 1) : -1;
            if (space < 0 || space == m.length() - 1) {
                throw new IllegalArgumentException(source + ": merge " + rank + " '" + m + "' is not two symbols separated by a space");
            }
            int h = m.hashCode();
            int at = slot(h, shift);
            while (table[at] != 0 && !(hashOf(table[at]) == h && rules.get(rankOf(table[at])).equals(m))) {
                at = (at + 1) & mask;
            }
            if (table[at] == 0) { // a repeated rule keeps its first rank
                table[at] = ((long) h << 32) | (rank + 1);
            }
        }
        return table;
    }

    @Override
    public long find(int left, int right) {
        String a = symbols.text(left);
        String b = symbols.text(right);
        int weight = powerOf31(b.length()); // String.hashCode(a + s) is a's hash times 31^|s| plus s's
        int h = (a.hashCode() * 31 + ' ') * weight + b.hashCode(); // the hash of a + " " + b
        int length = a.length() + 1 + b.length();
        long[] slots = slots();
        int mask = slots.length - 1;
        for (int at = slot(h, shift); slots[at] != 0; at = (at + 1) & mask) {
            if (hashOf(slots[at]) != h) {
                continue;
            }
            String m = rules.get(rankOf(slots[at]));
            // the same text split where llama.cpp splits it: at the first space after the first character
            if (m.length() == length && m.startsWith(a) && m.indexOf(' ', 1) == a.length()
                    && m.regionMatches(a.length() + 1, b, 0, b.length())) {
                return MergeRules.pack(rankOf(slots[at]), symbols.intern(a, b, a.hashCode() * weight + b.hashCode()));
            }
        }
        return -1;
    }

    private static int powerOf31(int n) {
        if (n < POWERS_OF_31.length) {
            return POWERS_OF_31[n];
        }
        int p = POWERS_OF_31[POWERS_OF_31.length - 1];
        for (int i = POWERS_OF_31.length - 1; i < n; i++) {
            p *= 31;
        }
        return p;
    }

    private static int hashOf(long slot) {
        return (int) (slot >>> 32);
    }

    private static int rankOf(long slot) {
        return (int) slot - 1;
    }

    /** The first slot to probe for hash {@code h}: the top bits of its product with 2^32 / golden ratio. */
    private static int slot(int h, int shift) {
        return (h * 0x9E37_79B9) >>> shift;
    }

    /** The number of distinct rules. */
    int size() {
        int n = 0;
        for (long s : slots()) {
            n += s != 0 ? 1 : 0;
        }
        return n;
    }
}
