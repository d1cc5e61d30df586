package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge table's lookups against rules worked out from the vocabulary by hand. */
class BpeMergesTest {
    /**
     * Tokens a, aa, aaa, … (ids 0 … k-1): tiktoken's rule makes every split of a^n into a^i + a^(n-i) a rule of rank
     * n - 1 with result a^n, about k²/2 rules where the table was sized for 2k, so it grows several times.
     */
    @Test
    void rulesFromTokenRanksSurviveTheTableGrowing() {
        int k = 120;
        List<String> texts = new ArrayList<>();
        for (int n = 1; n <= k; n++) {
            texts.add("a".repeat(n));
        }
        Vocabulary vocab = new Vocabulary(texts, null, null);
        BpeMerges merges = BpeMerges.fromTokenRanks(vocab, k, new BpeSymbols(vocab));
        assertEquals(k * (k - 1) / 2, merges.size());
        for (int i = 1; i < k; i++) {
            for (int j = 1; j < k; j++) {
                long rule = merges.find(i - 1, j - 1);
                if (i + j <= k) {
                    assertEquals(i + j - 1, MergeRules.rank(rule), "a^" + i + " + a^" + j);
                    assertEquals(i + j - 1, MergeRules.result(rule), "a^" + i + " + a^" + j);
                } else {
                    assertEquals(-1, rule, "a^" + i + " + a^" + j + " is no token");
                }
            }
        }
    }

    /**
     * A merge list's rules found by their text: a repeated rule keeps its first rank, a join that is no token gets an
     * extra symbol, which can merge again; a pair whose text only matches a rule split elsewhere is no rule.
     */
    @Test
    void mergeListRulesKeepTheirFirstRankAndInternWhatIsNoToken() {
        Vocabulary vocab = new Vocabulary(List.of("a", "b", "ab", "c", "x y", "z"), null, null);
        BpeSymbols symbols = new BpeSymbols(vocab);
        BpeMergeList merges = BpeMergeList.of(List.of("a b", "ab c", "a b", "c c", "cc a", "x y z"), symbols, "test");
        assertEquals(5, merges.size());
        assertEquals(0, MergeRules.rank(merges.find(0, 1)));
        assertEquals(2, MergeRules.result(merges.find(0, 1)));
        assertEquals(1, MergeRules.rank(merges.find(2, 3)));
        assertEquals(symbols.find("abc"), MergeRules.result(merges.find(2, 3)));
        assertEquals(3, MergeRules.rank(merges.find(3, 3)));
        int cc = MergeRules.result(merges.find(3, 3));
        assertEquals("cc", symbols.text(cc));
        assertEquals(cc, MergeRules.result(merges.find(3, 3)), "the same extra symbol each time");
        assertEquals(4, MergeRules.rank(merges.find(cc, 0)));
        assertEquals("cca", symbols.text(MergeRules.result(merges.find(cc, 0))));
        assertEquals(-1, merges.find(1, 0));
        assertEquals(-1, merges.find(4, 5), "'x y z' is the rule x + 'y z', not 'x y' + z");
    }

    /** Rules found by text agree with the pairs each rule names, over many random rules (hash collisions included). */
    @Test
    void mergeListLookupsAgreeWithAMapOfThePairs() {
        java.util.Random random = new java.util.Random(11);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            texts.add(Integer.toString(i, 36) + (char) ('A' + random.nextInt(3)));
        }
        Vocabulary vocab = new Vocabulary(texts, null, null);
        BpeSymbols symbols = new BpeSymbols(vocab);
        List<String> rules = new ArrayList<>();
        java.util.Map<Long, Integer> firstRank = new java.util.HashMap<>();
        for (int rank = 0; rank < 5_000; rank++) {
            int l = random.nextInt(texts.size());
            int r = random.nextInt(texts.size());
            rules.add(texts.get(l) + " " + texts.get(r));
            firstRank.putIfAbsent(((long) l << 32) | r, rank);
        }
        BpeMergeList merges = BpeMergeList.of(rules, symbols, "test");
        assertEquals(firstRank.size(), merges.size());
        for (int l = 0; l < texts.size(); l++) {
            for (int r = 0; r < texts.size(); r++) {
                Integer rank = firstRank.get(((long) l << 32) | r);
                long rule = merges.find(l, r);
                if (rank == null) {
                    assertEquals(-1, rule, texts.get(l) + " + " + texts.get(r));
                } else {
                    assertEquals(rank, MergeRules.rank(rule), texts.get(l) + " + " + texts.get(r));
                    assertEquals(texts.get(l) + texts.get(r), symbols.text(MergeRules.result(rule)));
                }
            }
        }
    }

    /** A rule without its space is named, with its rank and the list's source, by the lookup that makes the table. */
    @Test
    void aMergeWithoutItsSpaceIsRefusedByPosition() {
        Vocabulary vocab = new Vocabulary(List.of("a", "b"), null, null);
        BpeMergeList merges = BpeMergeList.of(List.of("a b", "ab", "a b"), new BpeSymbols(vocab), "GGUF key 'm'");
        for (int attempt = 0; attempt < 2; attempt++) { // the table is not left half made
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> merges.find(0, 1));
            assertEquals("GGUF key 'm': merge 1 'ab' is not two symbols separated by a space", e.getMessage());
        }
    }
}
