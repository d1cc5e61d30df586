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
                    assertEquals(i + j - 1, BpeMerges.rank(rule), "a^" + i + " + a^" + j);
                    assertEquals(i + j - 1, BpeMerges.result(rule), "a^" + i + " + a^" + j);
                } else {
                    assertEquals(-1, rule, "a^" + i + " + a^" + j + " is no token");
                }
            }
        }
    }

    /** A repeated rule keeps its first rank; parts and results that are no tokens get extra symbols. */
    @Test
    void mergeListRulesKeepTheirFirstRankAndInternWhatIsNoToken() {
        Vocabulary vocab = new Vocabulary(List.of("a", "b", "ab", "c"), null, null);
        BpeSymbols symbols = new BpeSymbols(vocab);
        BpeMerges merges = BpeMerges.fromMergeList(List.of("a b", "ab c", "a b", "c c"), symbols);
        assertEquals(3, merges.size());
        assertEquals(0, BpeMerges.rank(merges.find(0, 1)));
        assertEquals(2, BpeMerges.result(merges.find(0, 1)));
        assertEquals(1, BpeMerges.rank(merges.find(2, 3)));
        assertEquals(symbols.find("abc"), BpeMerges.result(merges.find(2, 3)));
        assertEquals(3, BpeMerges.rank(merges.find(3, 3)));
        assertEquals(symbols.find("cc"), BpeMerges.result(merges.find(3, 3)));
        assertEquals("cc", symbols.text(BpeMerges.result(merges.find(3, 3))));
        assertEquals(-1, merges.find(1, 0));
    }
}
