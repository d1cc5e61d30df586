package io.bitnet4j.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a llama2.c {@code tokenizer.bin} (little endian: {@code int max_token_length}, then per token
 * {@code float score, int length, length bytes} to the end of the file) into the SentencePiece vocabulary
 * llama.cpp's {@code convert-llama2c-to-ggml} makes of it: token 0 is {@code <unk>} (UNKNOWN), 1 {@code <s>}
 * and 2 {@code </s>} (CONTROL; llama2.c stores them as {@code "\n<s>\n"}), {@code <0xNN>} tokens are BYTE,
 * the rest NORMAL with spaces written as {@code ▁}; scores are kept. BOS 1, EOS 2, UNK 0, add BOS.
 */
final class Llama2cTokenizerLoader {
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");
    /** Far above any real token, far below a misread header: a guard against reading another format. */
    private static final int MAX_TOKEN_LENGTH = 1 << 16;

    private Llama2cTokenizerLoader() {}

    static Tokenizer load(Path path) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        String file = path.getFileName().toString();
        if (in.remaining() < 4) {
            throw new IllegalArgumentException(file + " is too short for a llama2.c tokenizer (" + in.remaining() + " bytes)");
        }
        int maxLength = in.getInt();
        if (maxLength <= 0 || maxLength > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException(file + " is not a llama2.c tokenizer: max_token_length is " + maxLength);
        }
        List<String> texts = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        var utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        while (in.hasRemaining()) {
            int id = texts.size();
            int at = in.position();
            if (in.remaining() < 8) {
                throw new IllegalArgumentException(file + ": token " + id + " at byte " + at + " is truncated");
            }
            float score = in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > maxLength || length > in.remaining()) {
                throw new IllegalArgumentException(file + ": token " + id + " at byte " + at + " has length " + length
                        + " (max_token_length " + maxLength + ", " + in.remaining() + " bytes left)");
            }
            ByteBuffer bytes = in.slice(in.position(), length);
            in.position(in.position() + length);
            try {
                texts.add(utf8.decode(bytes).toString());
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(file + ": token " + id + " at byte " + at + " is not valid UTF-8", e);
            }
            scores.add(score);
        }
        if (texts.size() < 3) {
            throw new IllegalArgumentException(file + " has " + texts.size() + " tokens; a llama2.c vocabulary starts with <unk>, <s>, </s>");
        }
        return build(texts, scores);
    }

    private static Tokenizer build(List<String> raw, List<Float> rawScores) {
        int n = raw.size();
        List<String> texts = new ArrayList<>(n);
        float[] scores = new float[n];
        TokenType[] types = new TokenType[n];
        for (int id = 0; id < n; id++) {
            String text = raw.get(id);
            TokenType type = TokenType.NORMAL;
            switch (id) {
                case 0 -> {
                    text = "<unk>";
                    type = TokenType.UNKNOWN;
                }
                case 1 -> {
                    text = "<s>";
                    type = TokenType.CONTROL;
                }
                case 2 -> {
                    text = "</s>";
                    type = TokenType.CONTROL;
                }
                default -> {
                    if (BYTE_TOKEN.matcher(text).matches()) {
                        type = TokenType.BYTE;
                    }
                }
            }
            texts.add(text.replace(' ', SpmEncoder.SPACE_MARK));
            scores[id] = rawScores.get(id);
            types[id] = type;
        }
        Vocabulary vocab = new Vocabulary(texts, scores, types);
        SpecialIds ids = new SpecialIds();
        ids.bos = 1;
        ids.eos = 2;
        ids.unk = 0;
        ids.addBos = true;
        SpecialTokens special = ids.resolve(vocab);
        return new VocabTokenizer(vocab, special, new SpmEncoder(vocab, true, special.unk()));
    }
}
