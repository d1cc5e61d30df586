package io.bitnet4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link Tokenizer} every loader builds: a vocabulary, its special tokens and a subword algorithm.
 * This class does what both algorithms share with llama.cpp's {@code tokenize_impl}: cutting special
 * tokens out of the text, BOS/EOS, and rendering tokens as bytes.
 */
final class VocabTokenizer implements Tokenizer {
    private static final byte[] NONE = new byte[0];

    private final Vocabulary vocab;
    private final SpecialTokens special;
    private final SubwordEncoder encoder;
    private final SpecialTokenSplitter splitter;
    /**
     * Each token's bytes with special tokens rendered (hidden ones are blanked on the way out), rendered when first
     * asked for: a 128k-token vocabulary took 50-70 ms to render whole at a cold load, before the first prompt, which
     * needs none of them. Rendering is deterministic, so two threads that race on one token store equal arrays.
     */
    private final AtomicReferenceArray<byte[]> pieces;
    private final BitSet endOfGeneration = new BitSet();

    VocabTokenizer(Vocabulary vocab, SpecialTokens special, SubwordEncoder encoder) {
        this.vocab = vocab;
        this.special = special;
        this.encoder = encoder;
        this.splitter = new SpecialTokenSplitter(vocab);
        this.pieces = new AtomicReferenceArray<>(vocab.size());
        for (int id = 0; id < vocab.size(); id++) {
            if (vocab.type(id) == TokenType.BYTE) {
                pieces.set(id, render(id)); // now: a byte token whose text is not <0xNN> is the vocabulary's error
            }
        }
        special.endOfGeneration().forEach(endOfGeneration::set);
    }

    @Override
    public Kind kind() {
        return encoder.kind();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        if (text == null) {
            throw new IllegalArgumentException("the text to encode is null");
        }
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial && special.addBos()) {
            out.add(required(special.bos(), "BOS"));
        }
        boolean atStart = true;
        for (SpecialTokenSplitter.Fragment f : splitter.split(text, parseSpecial)) {
            switch (f) {
                case SpecialTokenSplitter.Special s -> {
                    out.add(s.id());
                    atStart = true;
                }
                case SpecialTokenSplitter.Text t -> {
                    encoder.encode(t.text(), atStart, out);
                    atStart = false;
                }
            }
        }
        if (addSpecial && special.addEos()) {
            out.add(required(special.eos(), "EOS"));
        }
        return out.toArray();
    }

    private static int required(int id, String name) {
        if (id == NO_TOKEN) {
            throw new IllegalArgumentException("the tokenizer's metadata asks to add " + name + " but names no " + name + " token");
        }
        return id;
    }

    @Override
    public byte[] piece(int id, boolean renderSpecial) {
        vocab.checkId(id, "piece");
        return rawPiece(id, renderSpecial).clone();
    }

    private byte[] rawPiece(int id, boolean renderSpecial) {
        TokenType type = vocab.type(id);
        if (!renderSpecial && type.isSpecial()) {
            return NONE;
        }
        byte[] piece = pieces.get(id);
        if (piece == null) {
            piece = render(id);
            pieces.set(id, piece);
        }
        return piece;
    }

    private byte[] render(int id) {
        TokenType type = vocab.type(id);
        boolean literal = type.isSpecial() || type == TokenType.USER_DEFINED;
        return literal ? vocab.text(id).getBytes(StandardCharsets.UTF_8) : encoder.render(id, vocab.text(id), type);
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int i = 0; i < ids.length; i++) {
            vocab.checkId(ids[i], "decode: ids[" + i + "]");
            bytes.writeBytes(rawPiece(ids[i], renderSpecial));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public String tokenText(int id) {
        vocab.checkId(id, "tokenText");
        return vocab.text(id);
    }

    @Override
    public int tokenId(String text) {
        return vocab.id(text);
    }

    @Override
    public TokenType tokenType(int id) {
        vocab.checkId(id, "tokenType");
        return vocab.type(id);
    }

    @Override
    public SpecialTokens specialTokens() {
        return special;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && endOfGeneration.get(id);
    }

    @Override
    public String toString() {
        return "Tokenizer[" + kind() + ", " + vocab.size() + " tokens, bos " + special.bos() + ", eos " + special.eos() + "]";
    }
}
