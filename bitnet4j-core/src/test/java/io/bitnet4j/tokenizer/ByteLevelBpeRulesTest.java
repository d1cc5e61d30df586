package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.gguf.GgufValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level BPE merge order, non-token intermediates and ignore_merges on tiny vocabularies, derived by hand. */
class ByteLevelBpeRulesTest {
    //                                      0    1    2    3     4     5      6
    private static final String[] TOKENS = {"a", "b", "c", "ab", "bc", "abc", "Ġ"};

    @Test
    void lowerRankMergesFirst() {
        assertArrayEquals(new int[] {3, 2}, SyntheticVocab.bpe("gpt-2", List.of("a b", "b c"), TOKENS).build()
                .encode("abc", false, false));
        assertArrayEquals(new int[] {0, 4}, SyntheticVocab.bpe("gpt-2", List.of("b c", "a b"), TOKENS).build()
                .encode("abc", false, false));
    }

    @Test
    void intermediateSymbolsNeedNotBeTokens() {
        String[] tokens = {"a", "b", "c", "abc"}; // "bc" is merged but is not a token
        Tokenizer t = SyntheticVocab.bpe("gpt-2", List.of("b c", "a bc"), tokens).build();
        assertArrayEquals(new int[] {3}, t.encode("abc", false, false));
        assertArrayEquals(new int[] {1, 2}, t.encode("bc", false, false), "a non-token result falls back to its bytes");
    }

    @Test
    void llama3EmitsAWholePieceThatIsAToken() {
        Tokenizer llama3 = SyntheticVocab.bpe("llama-bpe", List.of(), TOKENS).build();
        Tokenizer gpt2 = SyntheticVocab.bpe("gpt-2", List.of(), TOKENS).build();
        assertArrayEquals(new int[] {5}, llama3.encode("abc", false, false), "ignore_merges");
        assertArrayEquals(new int[] {0, 1, 2}, gpt2.encode("abc", false, false), "no merges, no shortcut");
    }

    @Test
    void piecesAreSplitBeforeMerging() {
        Tokenizer t = SyntheticVocab.bpe("gpt-2", List.of("a b", "Ġ a"), "a", "b", "ab", "Ġ", "Ġa", "Ġab").build();
        // " ab" is one piece: Ġ a b → rank 0 "a b" → Ġ ab; no rule "Ġ ab" → [Ġ, ab]
        assertArrayEquals(new int[] {3, 2}, t.encode(" ab", false, false));
        assertEquals(" ab", t.decode(new int[] {3, 2}));
        // "ab ab" → pieces "ab", " ab"
        assertArrayEquals(new int[] {2, 3, 2}, t.encode("ab ab", false, false));
    }

    @Test
    void bosIsAddedForLlama3ByDefaultAndWhenTheFileSaysSo() {
        String[] tokens = {"a", "b", "<|begin_of_text|>"};
        Tokenizer llama3 = SyntheticVocab.bpe("llama-bpe", List.of(), tokens)
                .put("tokenizer.ggml.bos_token_id", GgufValue.u32(2)).build();
        assertArrayEquals(new int[] {2, 0}, llama3.encode("a"));
        Tokenizer gpt2 = SyntheticVocab.bpe("gpt-2", List.of(), tokens)
                .put("tokenizer.ggml.bos_token_id", GgufValue.u32(2)).build();
        assertArrayEquals(new int[] {0}, gpt2.encode("a"));
        Tokenizer gpt2WithBos = SyntheticVocab.bpe("gpt-2", List.of(), tokens)
                .put("tokenizer.ggml.bos_token_id", GgufValue.u32(2))
                .put("tokenizer.ggml.add_bos_token", GgufValue.bool(true)).build();
        assertArrayEquals(new int[] {2, 0}, gpt2WithBos.encode("a"));
    }
}
