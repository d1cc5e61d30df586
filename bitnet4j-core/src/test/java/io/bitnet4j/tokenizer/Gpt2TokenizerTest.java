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
