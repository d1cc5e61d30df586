package io.bitnet4j.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a SentencePiece-style BPE vocabulary on a text, for a model trained from scratch.
 *
 * <p>The result is a GGUF {@code llama} tokenizer (see {@link TrainedVocabulary}): {@code <unk>}, {@code <s>},
 * {@code </s>}, the byte tokens {@code <0x00>}..{@code <0xFF>} so any text can be encoded (byte fallback),
 * then the learned pieces with score {@code -rank}, then single characters: {@code ▁} (so that a space
 * which joins no piece still decodes as a space; its UTF-8 bytes would decode as a literal {@code ▁}) and
 * the most frequent non-ASCII characters (up to half of the slots left after the reserved tokens, each
 * seen at least twice), which would otherwise cost two to four byte tokens. ASCII characters get no
 * token of their own: their byte token costs the same single token.
 *
 * <p>Training mirrors what the encoder sees. As with {@code add_space_prefix}, a space is put before the
 * text and every space becomes {@code ▁}; the text is then cut into words before each {@code ▁} and
 * around each run of line breaks, so a piece is {@code ▁word}, a word part, or a run of line breaks,
 * and never spans two words. Starting from single code points, the most frequent adjacent pair over all
 * words is merged until the vocabulary is full or no pair occurs twice. Ties go to the pair of earlier
 * symbols (code points before merge results, lower code points first, earlier merges first), so the
 * vocabulary is a function of the text alone.
 *
 * <p>The encoder ({@link SpmEncoder}, llama.cpp's {@code llm_tokenizer_spm}) merges the adjacent pair
 * whose joined text is the highest-scoring token, which replays the learned merges in order. A piece
 * that could join into a reserved token's text (such as {@code "<s"} with {@code ">"}) is never learned,
 * so literal text like {@code <s>} or {@code <0x41>} is not turned into that token.
 */
public final class BpeTrainer {
    /** The reserved tokens plus {@code ▁}. */
    public static final int MIN_VOCAB_SIZE = TrainedVocabulary.RESERVED + 1;
    /** Scores {@code -rank} stay exact in a float far beyond this; larger vocabularies make no sense here. */
    public static final int MAX_VOCAB_SIZE = 1 << 20;

    private static final String SPACE = String.valueOf(SpmEncoder.SPACE_MARK);
    /** Substrings of reserved token texts that contain '<' or '>': a piece joining into a reserved text is one of these. */
    private static final Set<String> BLOCKED = blockedPieces();

    private BpeTrainer() {}

    /**
     * Trains a vocabulary of at most {@code vocabSize} tokens on {@code text}.
     *
     * @param vocabSize all tokens, the {@value TrainedVocabulary#RESERVED} reserved ones included; the result
     *     is smaller when the text runs out of pairs that occur at least twice
     * @throws IllegalArgumentException for a null or empty text, a text with an unpaired surrogate, or a
     *     {@code vocabSize} outside [{@value #MIN_VOCAB_SIZE}, {@value #MAX_VOCAB_SIZE}]
     */
    public static TrainedVocabulary train(String text, int vocabSize) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the text to train a tokenizer on is " + (text == null ? "null" : "empty"));
        }
        if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " is outside [" + MIN_VOCAB_SIZE + ", "
                    + MAX_VOCAB_SIZE + "]: it counts " + TrainedVocabulary.RESERVED + " reserved tokens (<unk>, <s>, </s>, "
                    + "256 bytes) and ▁");
        }
        Map<String, Integer> words = new HashMap<>();
        Map<Integer, Integer> nonAscii = new HashMap<>();
        splitWords(text, words, nonAscii);
        List<String> characters = characters(nonAscii, (vocabSize - MIN_VOCAB_SIZE) / 2);
        int learnable = vocabSize - TrainedVocabulary.RESERVED - characters.size();
        List<String> pieces = new BpeMergeLearner(words).learn(learnable, BLOCKED::contains);
        pieces.addAll(characters);
        return TrainedVocabulary.of(pieces);
    }

    /**
     * Counts the words of {@code " " + text} (see the class comment) into {@code words} and the non-ASCII
     * characters other than {@code ▁} into {@code nonAscii}.
     */
    private static void splitWords(String text, Map<String, Integer> words, Map<Integer, Integer> nonAscii) {
        StringBuilder word = new StringBuilder(SPACE);
        boolean inLineBreaks = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isSurrogate((char) cp)) {
                throw new IllegalArgumentException("the text has an unpaired surrogate U+" + Integer.toHexString(cp).toUpperCase()
                        + " at char " + i + "; it cannot be written as UTF-8");
            }
            i += Character.charCount(cp);
            boolean lineBreak = cp == '\n' || cp == '\r';
            boolean space = cp == ' ' || cp == SpmEncoder.SPACE_MARK;
            if (!word.isEmpty() && (space || lineBreak != inLineBreaks)) {
                words.merge(word.toString(), 1, Integer::sum);
                word.setLength(0);
            }
            inLineBreaks = lineBreak;
            if (space) {
                word.append(SpmEncoder.SPACE_MARK);
            } else {
                word.appendCodePoint(cp);
                if (cp >= 0x80) {
                    nonAscii.merge(cp, 1, Integer::sum);
                }
            }
        }
        words.merge(word.toString(), 1, Integer::sum);
    }

    /** {@code ▁} and up to {@code max} non-ASCII characters seen twice or more, most frequent (then lowest) first. */
    private static List<String> characters(Map<Integer, Integer> nonAscii, int max) {
        List<Map.Entry<Integer, Integer>> frequent = new ArrayList<>(nonAscii.entrySet());
        frequent.removeIf(e -> e.getValue() < 2);
        frequent.sort(Map.Entry.<Integer, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> characters = new ArrayList<>();
        characters.add(SPACE);
        frequent.stream().limit(max).forEach(e -> characters.add(Character.toString(e.getKey())));
        return characters;
    }

    private static Set<String> blockedPieces() {
        List<String> reserved = new ArrayList<>(List.of(TrainedVocabulary.UNK, TrainedVocabulary.BOS, TrainedVocabulary.EOS));
        for (int b = 0; b < 256; b++) {
            reserved.add(SpmEncoder.byteTokenText(b));
        }
        Set<String> blocked = new HashSet<>();
        for (String r : reserved) {
            for (int from = 0; from < r.length(); from++) {
                for (int to = from + 2; to <= r.length(); to++) {
                    String sub = r.substring(from, to);
                    if (sub.indexOf('<') >= 0 || sub.indexOf('>') >= 0) {
                        blocked.add(sub);
                    }
                }
            }
        }
        return blocked;
    }
}
