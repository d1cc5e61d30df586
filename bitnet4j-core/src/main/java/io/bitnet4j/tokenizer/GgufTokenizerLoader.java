package io.bitnet4j.tokenizer;

import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufValueType;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Builds a tokenizer from GGUF {@code tokenizer.ggml.*} metadata with llama.cpp's defaults
 * ({@code llama_vocab::impl::load}).
 *
 * <ul>
 *   <li>{@code llama} (SentencePiece): BOS 1, EOS 2, UNK 0, add BOS, no EOS, add a space prefix unless
 *       {@code tokenizer.ggml.add_space_prefix} is false.</li>
 *   <li>{@code gpt2} (byte-level BPE): BOS = EOS = 11 (llama.cpp's odd default; files name their own),
 *       add BOS only for the LLaMA 3 pre-tokenizer. The pre-tokenizer comes from {@code tokenizer.ggml.pre}.
 *       When that key is missing llama.cpp falls back to its generic regexes; we instead use LLaMA 3's when
 *       the vocabulary is LLaMA 3's (it has {@code <|begin_of_text|>} and {@code <|eot_id|>}), because the
 *       official BitNet b1.58 2B-4T GGUF omits the key and the generic split does not match its training.</li>
 *   <li>Special ids and {@code add_bos_token}/{@code add_eos_token} from the file override the defaults. An
 *       id outside the vocabulary (such as a u32 4294967295 written to mean "unset") keeps the default, as
 *       in llama.cpp.</li>
 * </ul>
 */
final class GgufTokenizerLoader {
    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    private GgufTokenizerLoader() {}

    static Tokenizer load(GgufMetadata md) {
        if (!md.contains(MODEL)) {
            throw new IllegalArgumentException("the GGUF metadata has no tokenizer: key '" + MODEL + "' is missing");
        }
        String model = md.getString(MODEL);
        return switch (model) {
            case "llama" -> sentencePiece(md);
            case "gpt2" -> byteLevelBpe(md);
            case "no_vocab", "none" -> throw new IllegalArgumentException(
                    "the GGUF file has no vocabulary (" + MODEL + " = '" + model + "')");
            default -> throw new IllegalArgumentException("unknown tokenizer model '" + model + "' in " + MODEL
                    + "; supported: llama (SentencePiece), gpt2 (byte-level BPE)");
        };
    }

    private static Tokenizer sentencePiece(GgufMetadata md) {
        Vocabulary vocab = vocabulary(md);
        SpecialIds ids = new SpecialIds();
        ids.bos = 1;
        ids.eos = 2;
        ids.unk = 0;
        ids.addBos = true;
        readSpecialIds(md, ids, vocab.size());
        SpecialTokens special = ids.resolve(vocab);
        boolean addSpacePrefix = md.getBool(ADD_SPACE_PREFIX, true);
        return new VocabTokenizer(vocab, special, new SpmEncoder(vocab, addSpacePrefix, special.unk()));
    }

    private static Tokenizer byteLevelBpe(GgufMetadata md) {
        Vocabulary vocab = vocabulary(md);
        PreTokenizer pre = md.contains(PRE) ? PreTokenizer.forName(md.getString(PRE))
                : isLlama3Vocabulary(vocab) ? PreTokenizer.LLAMA3 : PreTokenizer.DEFAULT;
        if (!md.contains(MERGES)) {
            throw new IllegalArgumentException("key '" + MERGES + "' is missing: a gpt2 (byte-level BPE) tokenizer needs its merges");
        }
        List<String> merges = read(md, MERGES, GgufArray::strings);
        BpeSymbols symbols = new BpeSymbols(vocab);
        BpeMergeList table = BpeMergeList.of(merges, symbols, "GGUF key '" + MERGES + "'");
        SpecialIds ids = new SpecialIds();
        ids.bos = 11;
        ids.eos = 11;
        ids.addBos = pre == PreTokenizer.LLAMA3;
        readSpecialIds(md, ids, vocab.size());
        return new VocabTokenizer(vocab, ids.resolve(vocab), new BpeEncoder(vocab, symbols, table, pre));
    }

    static boolean isLlama3Vocabulary(Vocabulary vocab) {
        return vocab.id("<|begin_of_text|>") >= 0 && vocab.id("<|eot_id|>") >= 0;
    }

    private static Vocabulary vocabulary(GgufMetadata md) {
        if (!md.contains(TOKENS)) {
            throw new IllegalArgumentException("key '" + TOKENS + "' is missing: the GGUF file has no vocabulary");
        }
        GgufArray tokens = md.getArray(TOKENS);
        if (tokens.elementType() != GgufValueType.STRING) {
            throw new IllegalArgumentException("GGUF key '" + TOKENS + "' is an array of " + tokens.elementType() + ", not of STRING");
        }
        float[] scores = md.contains(SCORES) ? read(md, SCORES, GgufArray::toFloatArray) : null;
        TokenType[] types = md.contains(TOKEN_TYPE) ? read(md, TOKEN_TYPE, GgufTokenizerLoader::types) : null;
        try {
            return new Vocabulary(tokens.strings(), scores, types);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GGUF tokenizer: " + e.getMessage(), e);
        }
    }

    private static TokenType[] types(GgufArray codes) {
        TokenType[] types = new TokenType[codes.length()];
        for (int i = 0; i < types.length; i++) {
            try {
                types[i] = TokenType.fromCode(codes.getLong(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("element " + i + ": " + e.getMessage(), e);
            }
        }
        return types;
    }

    /** The array at {@code key} converted by {@code f}, with the key named in any error. */
    private static <T> T read(GgufMetadata md, String key, Function<GgufArray, T> f) {
        try {
            return f.apply(md.getArray(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("GGUF key") ? e.getMessage()
                    : "GGUF key '" + key + "': " + e.getMessage(), e);
        }
    }

    private static void readSpecialIds(GgufMetadata md, SpecialIds ids, int vocabSize) {
        readId(md, "tokenizer.ggml.bos_token_id", vocabSize, v -> ids.bos = v);
        readId(md, "tokenizer.ggml.eos_token_id", vocabSize, v -> ids.eos = v);
        readId(md, "tokenizer.ggml.eot_token_id", vocabSize, v -> ids.eot = v);
        readId(md, "tokenizer.ggml.eom_token_id", vocabSize, v -> ids.eom = v);
        readId(md, "tokenizer.ggml.unknown_token_id", vocabSize, v -> ids.unk = v);
        readId(md, "tokenizer.ggml.seperator_token_id", vocabSize, v -> ids.sep = v);
        readId(md, "tokenizer.ggml.padding_token_id", vocabSize, v -> ids.pad = v);
        ids.addBos = md.getBool(ADD_BOS, ids.addBos);
        ids.addEos = md.getBool(ADD_EOS, ids.addEos);
    }

    private static void readId(GgufMetadata md, String key, int vocabSize, IntConsumer set) {
        if (md.contains(key)) {
            long id = md.getLong(key);
            if (id >= 0 && id < vocabSize) {
                set.accept((int) id);
            }
        }
    }
}
