package io.bitnet4j.tokenizer;

import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small hand-made GGUF tokenizer metadata, for tests whose expected ids follow from the rules by hand. */
final class SyntheticVocab {
    private final Map<String, GgufValue> entries = new LinkedHashMap<>();

    private SyntheticVocab(String model) {
        entries.put("tokenizer.ggml.model", GgufValue.string(model));
    }

    static SyntheticVocab spm(String... tokens) {
        return new SyntheticVocab("llama").tokens(tokens);
    }

    static SyntheticVocab bpe(String pre, List<String> merges, String... tokens) {
        SyntheticVocab v = new SyntheticVocab("gpt2").tokens(tokens);
        v.entries.put("tokenizer.ggml.pre", GgufValue.string(pre));
        v.entries.put("tokenizer.ggml.merges", GgufArray.ofStrings(merges));
        return v;
    }

    SyntheticVocab tokens(String... tokens) {
        entries.put("tokenizer.ggml.tokens", GgufArray.ofStrings(tokens));
        return this;
    }

    SyntheticVocab scores(float... scores) {
        entries.put("tokenizer.ggml.scores", GgufArray.ofFloat32(scores));
        return this;
    }

    SyntheticVocab types(TokenType... types) {
        int[] codes = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            codes[i] = types[i].code();
        }
        entries.put("tokenizer.ggml.token_type", GgufArray.ofInt32(codes));
        return this;
    }

    SyntheticVocab put(String key, GgufValue value) {
        entries.put(key, value);
        return this;
    }

    SyntheticVocab remove(String key) {
        entries.remove(key);
        return this;
    }

    GgufMetadata metadata() {
        return new GgufMetadata(entries);
    }

    Tokenizer build() {
        return Tokenizers.fromGguf(metadata());
    }
}
