package io.bitnet4j.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Integer ids for the strings byte-level BPE merges: a vocabulary token's id when the string is a
 * token, else an extra id from {@code vocab.size()} up. llama.cpp merges strings; interning them lets
 * the merge loop compare ints while still allowing merge rules whose parts or result are not tokens
 * (the result is then emitted byte by byte, as llama.cpp does).
 *
 * <p>Extra symbols are made as the merge loop meets them ({@link BpeMergeList} resolves rules when asked), so their
 * table is guarded: several threads may share one tokenizer. Vocabularies whose merges all join tokens (LLaMA 3's, GPT-2's)
 * have none beyond the bytes that are no token.
 */
final class BpeSymbols {
    private final Vocabulary vocab;
    private final Map<String, Integer> extraIds = new HashMap<>();
    private final List<String> extraTexts = new ArrayList<>();
    private final int[] byteSymbols = new int[256];

    BpeSymbols(Vocabulary vocab) {
        this.vocab = vocab;
        for (int b = 0; b < 256; b++) {
            byteSymbols[b] = intern(String.valueOf(ByteLevel.charOf(b)));
        }
    }

    /** The symbol of {@code text} (in byte-level form), adding an extra symbol if it is not a token. */
    int intern(String text) {
        int id = vocab.id(text);
        if (id >= 0) {
            return id;
        }
        synchronized (extraIds) {
            return extraIds.computeIfAbsent(text, t -> {
                extraTexts.add(t);
                return vocab.size() + extraTexts.size() - 1;
            });
        }
    }

    /**
     * {@link #intern(String)} of {@code a + b}, whose {@link String#hashCode} is {@code h}: the string is made only when
     * it is not a token.
     */
    int intern(String a, String b, int h) {
        int id = vocab.id(a, b, h);
        return id >= 0 ? id : intern(a.concat(b));
    }

    /** The symbol of {@code text}, or -1 if it has none. */
    int find(String text) {
        int id = vocab.id(text);
        if (id >= 0) {
            return id;
        }
        synchronized (extraIds) {
            Integer extra = extraIds.get(text);
            return extra != null ? extra : -1;
        }
    }

    /** The symbol of the single byte {@code b} (0..255). */
    int ofByte(int b) {
        return byteSymbols[b];
    }

    boolean isToken(int symbol) {
        return symbol < vocab.size();
    }

    String text(int symbol) {
        if (isToken(symbol)) {
            return vocab.text(symbol);
        }
        synchronized (extraIds) {
            return extraTexts.get(symbol - vocab.size());
        }
    }
}
