package io.bitnet4j.convert;

import io.bitnet4j.tokenizer.TokenType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A llama2.c {@code tokenizer.bin}: an int32 maximum token length, then per token a float32 score, an int32 byte
 * length and the token's bytes. It becomes a SentencePiece-style ({@code llama}) GGUF vocabulary the way llama.cpp's
 * {@code llama-convert-llama2c-to-ggml} makes it: token 0 is {@code <unk>} (UNKNOWN), 1 {@code <s>} and 2
 * {@code </s>} (CONTROL), {@code <0xNN>} tokens are BYTE, an empty token is CONTROL, the rest NORMAL with spaces
 * written as {@code ▁} (U+2581); the scores are copied.
 */
public final class Llama2cTokenizer {
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    private Llama2cTokenizer() {}

    /** The {@code tokenizer.ggml.tokens}, {@code scores} and {@code token_type} arrays of {@code file}, which must hold {@code vocabSize} tokens. */
    public static Map<String, GgufValue> read(Path file, int vocabSize) throws IOException {
        String name = file.getFileName().toString();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        need(b, 4, name, "the maximum token length");
        b.getInt();
        String[] tokens = new String[vocabSize];
        float[] scores = new float[vocabSize];
        int[] types = new int[vocabSize];
        for (int id = 0; id < vocabSize; id++) {
            need(b, 8, name, "token " + id);
            scores[id] = b.getFloat();
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new IllegalArgumentException(name + ": token " + id + " claims " + length + " bytes at byte " + (b.position() - 4)
                        + " but " + b.remaining() + " remain (truncated, or not a tokenizer of " + vocabSize + " tokens)");
            }
            byte[] text = new byte[length];
            b.get(text);
            String s = Utf8.decode(text, name + ": token " + id);
            TokenType type = typeOf(id, s);
            tokens[id] = switch (id) {
                case 0 -> "<unk>";
                case 1 -> "<s>";
                case 2 -> "</s>";
                default -> type == TokenType.NORMAL ? s.replace(' ', '\u2581') : s;
            };
            types[id] = type.code();
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(name + ": " + b.remaining() + " bytes follow the " + vocabSize
                    + " tokens the checkpoint's vocabulary has (a tokenizer of another model?)");
        }
        Map<String, GgufValue> out = new LinkedHashMap<>();
        out.put("tokenizer.ggml.tokens", GgufArray.ofStrings(tokens));
        out.put("tokenizer.ggml.scores", GgufArray.ofFloat32(scores));
        out.put("tokenizer.ggml.token_type", GgufArray.ofInt32(types));
        return out;
    }

    private static TokenType typeOf(int id, String text) {
        if (id == 0) {
            return TokenType.UNKNOWN;
        }
        if (id <= 2 || text.isEmpty()) {
            return TokenType.CONTROL;
        }
        return BYTE_TOKEN.matcher(text).matches() ? TokenType.BYTE : TokenType.NORMAL;
    }

    private static void need(ByteBuffer b, int bytes, String name, String what) {
        if (b.remaining() < bytes) {
            throw new IllegalArgumentException(name + ": truncated at byte " + b.position() + " while reading " + what);
        }
    }
}
