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

    /** The symbol of {@code text} (in byte-level form), adding an extra symbol if it is not a token. Loading only. */
    int intern(String text) {
        int id = vocab.id(text);
        if (id >= 0) {
            return id;
        }
        return extraIds.computeIfAbsent(text, t -> {
            extraTexts.add(t);
            return vocab.size() + extraTexts.size() - 1;
        });
    }

    /**
     * {@link #intern(String)} of the text {@code cs[from1 .. to1)} followed by {@code cs[from2 .. to2)} (the second range
     * may be empty), made as a string only when it is not a token. Loading only.
     */
    int intern(char[] cs, int from1, int to1, int from2, int to2) {
        int id = vocab.id(cs, from1, to1, from2, to2);
        return id >= 0 ? id : intern(new String(cs, from1, to1 - from1) + new String(cs, from2, to2 - from2));
    }

    /** The symbol of {@code text}, or -1 if it has none. */
    int find(String text) {
        int id = vocab.id(text);
        if (id >= 0) {
            return id;
        }
        Integer extra = extraIds.get(text);
        return extra != null ? extra : -1;
    }

    /** The symbol of the single byte {@code b} (0..255). */
    int ofByte(int b) {
        return byteSymbols[b];
    }

    boolean isToken(int symbol) {
        return symbol < vocab.size();
    }

    String text(int symbol) {
        return isToken(symbol) ? vocab.text(symbol) : extraTexts.get(symbol - vocab.size());
    }
}
