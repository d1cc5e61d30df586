package io.bitnet4j.train;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.tokenizer.BpeTrainer;
import io.bitnet4j.tokenizer.TrainedVocabulary;
import io.bitnet4j.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain-text corpus ready for training: split into a training part and a validation part (the last
 * {@code validationFraction}, cut at a line break), a BPE vocabulary trained on the training part only, and both parts
 * tokenized with it.
 */
public record Corpus(TrainedVocabulary vocabulary, TokenData data, String validationText) {

    /** Splits {@code text}, trains a vocabulary of at most {@code vocabSize} tokens on the training part, tokenizes both. */
    public static Corpus build(String text, int vocabSize, double validationFraction) {
        String[] parts = TokenData.splitText(text, validationFraction);
        return tokenize(parts, BpeTrainer.train(parts[0], vocabSize));
    }

    /** As {@link #build} with a vocabulary already trained (a resumed run reuses its own). */
    public static Corpus withVocabulary(String text, TrainedVocabulary vocabulary, double validationFraction) {
        return tokenize(TokenData.splitText(text, validationFraction), vocabulary);
    }

    private static Corpus tokenize(String[] parts, TrainedVocabulary v) {
        int[] train = v.tokenizer().encode(parts[0], false, false);
        int[] validation = v.tokenizer().encode(parts[1], false, false);
        return new Corpus(v, new TokenData(train, validation), parts[1]);
    }

    /** Writes the vocabulary as a tensor-less GGUF file (its {@code tokenizer.ggml.*} keys), which {@link #loadVocabulary} reads back. */
    public static void saveVocabulary(TrainedVocabulary v, Path file) throws IOException {
        try (GgufWriter w = GgufWriter.create(file)) {
            w.put("general.architecture", GgufValue.string("bitnet"));
            v.ggufMetadata().forEach(w::put);
            w.finish();
        }
    }

    /** The vocabulary stored by {@link #saveVocabulary} (or the tokenizer of any GGUF model). */
    public static TrainedVocabulary loadVocabulary(Path file) throws IOException {
        try (GgufFile f = GgufFile.open(file)) {
            Map<String, GgufValue> md = new LinkedHashMap<>();
            f.metadata().asMap().forEach((k, val) -> {
                if (k.startsWith("tokenizer.")) {
                    md.put(k, val);
                }
            });
            return new TrainedVocabulary(md, Tokenizers.fromGguf(new GgufMetadata(md)));
        }
    }
}
