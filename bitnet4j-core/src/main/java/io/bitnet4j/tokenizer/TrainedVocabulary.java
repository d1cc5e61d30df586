package io.bitnet4j.tokenizer;

import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A SentencePiece-style vocabulary made by {@link BpeTrainer}: its GGUF {@code tokenizer.ggml.*} metadata
 * and the engine's tokenizer built from exactly that metadata.
 *
 * <p>To store it in a model file, put every entry into the writer in order:
 * {@code vocabulary.ggufMetadata().forEach(writer::put)}. llama.cpp and {@link Tokenizers#fromGguf} then
 * load the same tokenizer.
 *
 * @param ggufMetadata the {@code tokenizer.ggml.*} keys, in the order they should be written (unmodifiable)
 * @param tokenizer the tokenizer {@link Tokenizers#fromGguf} builds from {@code ggufMetadata}
 */
public record TrainedVocabulary(Map<String, GgufValue> ggufMetadata, Tokenizer tokenizer) {
    static final String UNK = "<unk>";
    static final String BOS = "<s>";
    static final String EOS = "</s>";
    /** {@code <unk>}, {@code <s>}, {@code </s>} and the 256 byte tokens come before the learned pieces. */
    static final int RESERVED = 3 + 256;

    public TrainedVocabulary {
        Objects.requireNonNull(ggufMetadata, "ggufMetadata");
        Objects.requireNonNull(tokenizer, "tokenizer");
        ggufMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(ggufMetadata));
        int tokens = new GgufMetadata(ggufMetadata).getArray(GgufTokenizerLoader.TOKENS).length();
        if (tokens != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("the metadata lists " + tokens + " tokens but the tokenizer has " + tokenizer.vocabSize());
        }
    }

    /** The vocabulary whose tokens are the reserved ones followed by {@code pieces}, and its tokenizer. */
    static TrainedVocabulary of(List<String> pieces) {
        Map<String, GgufValue> md = metadata(pieces);
        return new TrainedVocabulary(md, Tokenizers.fromGguf(new GgufMetadata(md)));
    }

    /** The number of tokens, reserved ones included. */
    public int size() {
        return tokenizer.vocabSize();
    }

    /**
     * The metadata of a llama (SentencePiece) vocabulary: {@code <unk>} (UNKNOWN), {@code <s>}, {@code </s>}
     * (CONTROL), {@code <0x00>}..{@code <0xFF>} (BYTE), then {@code pieces} (NORMAL) with scores 0, -1, -2, …
     * so that merging the highest-scoring pair first follows the order the pieces were given in.
     */
    private static Map<String, GgufValue> metadata(List<String> pieces) {
        int n = RESERVED + pieces.size();
        List<String> texts = new ArrayList<>(n);
        float[] scores = new float[n];
        int[] types = new int[n];
        texts.addAll(List.of(UNK, BOS, EOS));
        types[0] = TokenType.UNKNOWN.code();
        types[1] = TokenType.CONTROL.code();
        types[2] = TokenType.CONTROL.code();
        for (int b = 0; b < 256; b++) {
            types[texts.size()] = TokenType.BYTE.code();
            texts.add(SpmEncoder.byteTokenText(b));
        }
        for (int i = 0; i < pieces.size(); i++) {
            scores[texts.size()] = -i;
            types[texts.size()] = TokenType.NORMAL.code();
            texts.add(pieces.get(i));
        }
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put(GgufTokenizerLoader.MODEL, GgufValue.string("llama"));
        md.put(GgufTokenizerLoader.TOKENS, GgufArray.ofStrings(texts));
        md.put(GgufTokenizerLoader.SCORES, GgufArray.ofFloat32(scores));
        md.put(GgufTokenizerLoader.TOKEN_TYPE, GgufArray.ofInt32(types));
        md.put("tokenizer.ggml.bos_token_id", GgufValue.u32(1));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(2));
        md.put("tokenizer.ggml.unknown_token_id", GgufValue.u32(0));
        md.put(GgufTokenizerLoader.ADD_BOS, GgufValue.bool(true));
        md.put(GgufTokenizerLoader.ADD_EOS, GgufValue.bool(false));
        md.put(GgufTokenizerLoader.ADD_SPACE_PREFIX, GgufValue.bool(true));
        return md;
    }
}
