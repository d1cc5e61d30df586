package io.bitnet4j.tokenizer;

import static io.bitnet4j.tokenizer.TokenType.BYTE;
import static io.bitnet4j.tokenizer.TokenType.CONTROL;
import static io.bitnet4j.tokenizer.TokenType.NORMAL;
import static io.bitnet4j.tokenizer.TokenType.UNKNOWN;
import static io.bitnet4j.tokenizer.TokenType.USER_DEFINED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.gguf.GgufValue;
import org.junit.jupiter.api.Test;

/** SentencePiece merging, space prefix, byte fallback and special tokens on tiny vocabularies, derived by hand. */
class SentencePieceRulesTest {
    //                                0        1      2       3    4    5    6    7     8
    private static final String[] TOKENS = {"<unk>", "<s>", "</s>", "▁", "a", "b", "c", "ab", "bc"};
    private static final TokenType[] TYPES = {UNKNOWN, CONTROL, CONTROL, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL};

    private static Tokenizer withScores(float ab, float bc) {
        return SyntheticVocab.spm(TOKENS).types(TYPES).scores(0, 0, 0, 0, 0, 0, 0, ab, bc)
                .put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false)).build();
    }

    @Test
    void theHigherScoringPairMergesFirst() {
        assertArrayEquals(new int[] {4, 8}, withScores(-1f, -0.5f).encode("abc", false, false), "bc scores higher");
        assertArrayEquals(new int[] {7, 6}, withScores(-0.5f, -1f).encode("abc", false, false), "ab scores higher");
    }

    @Test
    void equalScoresMergeLeftmostFirst() {
        assertArrayEquals(new int[] {7, 6}, withScores(-1f, -1f).encode("abc", false, false));
    }

    @Test
    void spacesBecomeTheMarkAndOneIsPrefixed() {
        Tokenizer t = SyntheticVocab.spm(TOKENS).types(TYPES).build(); // add_space_prefix defaults to true
        assertArrayEquals(new int[] {3, 4, 3, 5}, t.encode("a b", false, false), "▁ a ▁ b");
        assertArrayEquals(new int[] {1, 3, 4}, t.encode("a"), "BOS, then ▁ a");
        assertEquals(" a b", t.decode(t.encode("a b", false, false)));
        assertArrayEquals(new int[0], t.encode("", false, false), "no prefix for empty text");
    }

    @Test
    void unknownCharactersUseByteTokensElseUnk() {
        Tokenizer noBytes = withScores(-1f, -1f);
        assertArrayEquals(new int[] {4, 0, 5}, noBytes.encode("azb", false, false), "z has no token: <unk>");

        String[] tokens = {"<unk>", "<s>", "</s>", "a", "<0x7A>", "<0xC3>", "<0xA9>"};
        Tokenizer bytes = SyntheticVocab.spm(tokens).types(UNKNOWN, CONTROL, CONTROL, NORMAL, BYTE, BYTE, BYTE)
                .put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false)).build();
        assertArrayEquals(new int[] {3, 4, 5, 6}, bytes.encode("azé", false, false), "z → <0x7A>, é → <0xC3><0xA9>");
        assertEquals("azé", bytes.decode(new int[] {3, 4, 5, 6}));
        assertArrayEquals(new byte[] {(byte) 0xC3}, bytes.piece(5));
    }

    @Test
    void userDefinedTokensAreAlwaysSplitOutControlOnlyWhenParsing() {
        String[] tokens = {"<unk>", "<s>", "</s>", "a", "b", "xy", "xyz"};
        Tokenizer t = SyntheticVocab.spm(tokens).types(UNKNOWN, CONTROL, CONTROL, NORMAL, NORMAL, USER_DEFINED, USER_DEFINED)
                .put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false)).build();
        assertArrayEquals(new int[] {3, 6, 5, 4}, t.encode("axyzxyb", false, false), "longest user token first");
        assertArrayEquals(new int[] {3, 0, 0, 0, 4}, t.encode("a<s>b", false, false), "control text is literal: <unk> ×3");
        assertArrayEquals(new int[] {3, 1, 4}, t.encode("a<s>b", false, true));
        assertEquals("axyzb", t.decode(new int[] {3, 6, 1, 4}), "user-defined renders, control hidden");
        assertEquals("axyz<s>b", t.decode(new int[] {3, 6, 1, 4}, true));
    }

    @Test
    void metadataOverridesBosEosAndTheirAddition() {
        Tokenizer t = SyntheticVocab.spm(TOKENS).types(TYPES)
                .put("tokenizer.ggml.bos_token_id", GgufValue.u32(2))
                .put("tokenizer.ggml.eos_token_id", GgufValue.u32(1))
                .put("tokenizer.ggml.add_eos_token", GgufValue.bool(true))
                .put("tokenizer.ggml.add_bos_token", GgufValue.bool(false)).build();
        assertArrayEquals(new int[] {3, 4, 1}, t.encode("a"));
    }
}
