package io.bitnet4j.convert;

import io.bitnet4j.tokenizer.TokenType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A Hugging Face {@code tokenizer.json} with a byte-level BPE model (GPT-2 style, as Llama 3 and BitNet b1.58 2B-4T
 * use) turned into the {@code tokenizer.ggml.*} keys llama.cpp reads, the way {@code convert_hf_to_gguf.py} writes
 * them: model {@code gpt2}; the tokens by id, padded to the config's vocab size with {@code [PADn]} tokens of type
 * UNUSED; added special tokens CONTROL, other added tokens USER_DEFINED, the rest NORMAL; the merges as
 * {@code "a b"} strings; BOS/EOS ids from {@code config.json}; {@code add_bos_token}, {@code add_eos_token} and the
 * chat template from {@code tokenizer_config.json} when present.
 *
 * <p>The pre-tokenizer name ({@code tokenizer.ggml.pre}) is recognised from the split pattern for Llama 3
 * ({@code llama-bpe}) and for a plain GPT-2 byte-level pre-tokenizer ({@code gpt-2}); anything else gets
 * {@code default}, with a warning. SentencePiece vocabularies ({@code tokenizer.model}, or a {@code tokenizer.json}
 * without byte-level pre-tokenization) are not supported: take the vocabulary from a GGUF file instead.
 */
final class HfTokenizer {
    /** Llama 3's pre-tokenizer split pattern, as its tokenizer.json has it. */
    static final String LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private HfTokenizer() {}

    /** The tokenizer keys for the checkpoint in {@code dir}, or none (with a warning) if it has no tokenizer.json. */
    static Map<String, GgufValue> read(Path dir, HfConfig config, Consumer<String> warnings) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.exists(file)) {
            warnings.accept(dir + " has no tokenizer.json: the GGUF file gets no vocabulary (llama.cpp needs one; pass a vocabulary GGUF)");
            return Map.of();
        }
        JsonObject tok = JsonObject.parse(Files.readString(file), "tokenizer.json");
        JsonObject model = tok.object("model");
        String type = model.optString("type").orElse("");
        if (!type.equals("BPE") || !mentionsByteLevel(tok.map().get("pre_tokenizer")) || model.optBoolean("byte_fallback").orElse(false)) {
            throw tok.error("only byte-level BPE vocabularies (GPT-2 style) are read; this one is " + (type.isEmpty() ? "untyped" : type)
                    + (type.equals("BPE") ? " without byte-level pre-tokenization (SentencePiece-style)" : "")
                    + "; take the vocabulary from a GGUF file instead");
        }
        int n = config.vocabSize();
        String[] tokens = new String[n];
        TokenType[] types = new TokenType[n];
        model.object("vocab").map().forEach((text, id) -> put(tokens, types, text, id, TokenType.NORMAL, model));
        for (Object o : tok.optList("added_tokens").orElse(List.of())) {
            JsonObject added = asObject(o, tok);
            boolean special = added.optBoolean("special").orElse(false);
            put(tokens, types, added.string("content"), added.getLong("id"), special ? TokenType.CONTROL : TokenType.USER_DEFINED, added);
        }
        int[] typeIds = new int[n];
        for (int i = 0; i < n; i++) {
            if (tokens[i] == null) {
                tokens[i] = "[PAD" + i + "]";
                types[i] = TokenType.UNUSED;
            }
            typeIds[i] = types[i].code();
        }
        Map<String, GgufValue> out = new LinkedHashMap<>();
        out.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        out.put("tokenizer.ggml.pre", GgufValue.string(preTokenizer(tok.map().get("pre_tokenizer"), warnings)));
        out.put("tokenizer.ggml.tokens", GgufArray.ofStrings(tokens));
        out.put("tokenizer.ggml.token_type", GgufArray.ofInt32(typeIds));
        out.put("tokenizer.ggml.merges", GgufArray.ofStrings(merges(model)));
        config.bosTokenId().ifPresent(id -> out.put("tokenizer.ggml.bos_token_id", GgufValue.u32(id)));
        config.eosTokenId().ifPresent(id -> out.put("tokenizer.ggml.eos_token_id", GgufValue.u32(id)));
        addTokenizerConfig(dir, out);
        return out;
    }

    private static void put(String[] tokens, TokenType[] types, String text, Object id, TokenType type, JsonObject where) {
        if (!(id instanceof Long l) || l < 0 || l >= tokens.length) {
            throw where.error("token \"" + text + "\" has id " + id + ", outside the config's vocab_size " + tokens.length);
        }
        tokens[(int) (long) l] = text;
        types[(int) (long) l] = type;
    }

    private static List<String> merges(JsonObject model) {
        List<String> out = new ArrayList<>();
        for (Object m : model.optList("merges").orElse(List.of())) {
            if (m instanceof String s) {
                out.add(s);
            } else if (m instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String a && pair.get(1) instanceof String b) {
                out.add(a + " " + b); // newer tokenizers write [a, b]
            } else {
                throw model.error("a merge is " + Json.typeName(m) + "; expected \"a b\" or [\"a\", \"b\"]");
            }
        }
        return out;
    }

    /** llama.cpp's pre-tokenizer name for this tokenizer.json's pre_tokenizer (class comment). */
    private static String preTokenizer(Object pre, Consumer<String> warnings) {
        if (containsString(pre, LLAMA3_PATTERN)) {
            return "llama-bpe";
        }
        if (pre instanceof Map<?, ?> m && "ByteLevel".equals(m.get("type")) && !Boolean.FALSE.equals(m.get("use_regex"))) {
            return "gpt-2";
        }
        warnings.accept("tokenizer.json: the pre-tokenizer is not one this converter recognises; tokenizer.ggml.pre is 'default'"
                + " and llama.cpp may split text differently from the original tokenizer");
        return "default";
    }

    private static void addTokenizerConfig(Path dir, Map<String, GgufValue> out) throws IOException {
        Path file = dir.resolve("tokenizer_config.json");
        if (!Files.exists(file)) {
            return;
        }
        JsonObject tc = JsonObject.parse(Files.readString(file), "tokenizer_config.json");
        tc.optBoolean("add_bos_token").ifPresent(b -> out.put("tokenizer.ggml.add_bos_token", GgufValue.bool(b)));
        tc.optBoolean("add_eos_token").ifPresent(b -> out.put("tokenizer.ggml.add_eos_token", GgufValue.bool(b)));
        if (tc.map().get("chat_template") instanceof String template) {
            out.put("tokenizer.chat_template", GgufValue.string(template));
        }
    }

    private static boolean mentionsByteLevel(Object node) {
        return containsString(node, "ByteLevel");
    }

    /** Whether {@code needle} is a string value anywhere inside {@code node}. */
    private static boolean containsString(Object node, String needle) {
        return switch (node) {
            case String s -> s.equals(needle);
            case Map<?, ?> m -> m.values().stream().anyMatch(v -> containsString(v, needle));
            case List<?> l -> l.stream().anyMatch(v -> containsString(v, needle));
            case null, default -> false;
        };
    }

    private static JsonObject asObject(Object o, JsonObject where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw where.error("an added token is " + Json.typeName(o) + ", expected an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return new JsonObject(map, where.source() + " added_tokens");
    }

    /** The number of tokens in a {@code tokenizer.ggml.tokens} array of {@code metadata}, if there is one. */
    static Optional<Integer> tokenCount(Map<String, GgufValue> metadata) {
        return metadata.get("tokenizer.ggml.tokens") instanceof GgufArray a ? Optional.of(a.length()) : Optional.empty();
    }
}
