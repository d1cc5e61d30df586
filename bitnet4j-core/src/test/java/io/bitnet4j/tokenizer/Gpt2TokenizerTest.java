package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GPT-2's byte-level BPE (pre-tokenizer {@code gpt-2}) against llama.cpp's fixture ids. */
class Gpt2TokenizerTest {
    static Tokenizer gpt2;
    static List<VocabCases.Case> cases;

    @BeforeAll
    static void load() throws IOException {
        gpt2 = Tokenizers.load(VocabCases.gguf("gpt-2"));
        cases = VocabCases.read("gpt-2");
    }

    @Test
    void everyFixtureTextEncodesToTheReferenceIds() {
        VocabCases.assertAllEncode(gpt2, cases);
    }

    /**
     * A fresh tokenizer shared by four threads from its first encode: its merge rules' table is made by whichever lookup
     * comes first (BpeMergeList), and every thread still gets the reference ids.
     */
    @Test
    void aTokenizerSharedByThreadsFromItsFirstEncodeGivesTheReferenceIds() throws Exception {
        Tokenizer shared = Tokenizers.load(VocabCases.gguf("gpt-2"));
        int threads = 4;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<List<int[]>>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 11; // each thread starts at another case
                results.add(pool.submit(() -> {
                    start.await();
                    int[][] ids = new int[cases.size()][];
                    for (int k = 0; k < cases.size(); k++) {
                        int i = (k + offset) % cases.size();
                        ids[i] = shared.encode(cases.get(i).text(), false, false);
                    }
                    return List.of(ids);
                }));
            }
            for (java.util.concurrent.Future<List<int[]>> r : results) {
                List<int[]> ids = r.get();
                for (VocabCases.Case c : cases) {
                    assertArrayEquals(c.ids(), ids.get(cases.indexOf(c)), "case " + c.index());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void decodingInvertsEncodingExactly() {
        for (VocabCases.Case c : cases) {
            assertEquals(c.text(), gpt2.decode(gpt2.encode(c.text(), false, false)), "case " + c.index());
        }
    }

    @Test
    void specialTokensFollowLlamaCpp() {
        SpecialTokens s = gpt2.specialTokens();
        assertEquals(50256, s.bos());
        assertEquals(50256, s.eos());
        assertEquals(50256, s.eot(), "EOT is found by its text <|endoftext|>");
        assertEquals(Set.of(50256), s.endOfGeneration());
        assertFalse(s.addBos(), "llama.cpp adds no BOS for pre-tokenizer gpt-2");
        assertArrayEquals(gpt2.encode("Hello world", false, false), gpt2.encode("Hello world"));
    }
}
