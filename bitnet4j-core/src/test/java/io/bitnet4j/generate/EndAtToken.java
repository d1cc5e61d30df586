package io.bitnet4j.generate;

import io.bitnet4j.tokenizer.SpecialTokens;
import io.bitnet4j.tokenizer.TokenType;
import io.bitnet4j.tokenizer.Tokenizer;

/** A tokenizer that also treats one ordinary token as end-of-generation, to reach the EOS path with a model that never ends. */
record EndAtToken(Tokenizer inner, int endToken) implements Tokenizer {
    @Override
    public boolean isEndOfGeneration(int id) {
        return id == endToken || inner.isEndOfGeneration(id);
    }

    @Override
    public Kind kind() {
        return inner.kind();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        return inner.encode(text, addSpecial, parseSpecial);
    }

    @Override
    public byte[] piece(int id, boolean renderSpecial) {
        return inner.piece(id, renderSpecial);
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        return inner.decode(ids, renderSpecial);
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public String tokenText(int id) {
        return inner.tokenText(id);
    }

    @Override
    public int tokenId(String text) {
        return inner.tokenId(text);
    }

    @Override
    public TokenType tokenType(int id) {
        return inner.tokenType(id);
    }

    @Override
    public SpecialTokens specialTokens() {
        return inner.specialTokens();
    }
}
