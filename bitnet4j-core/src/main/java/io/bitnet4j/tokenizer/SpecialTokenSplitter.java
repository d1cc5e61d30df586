package io.bitnet4j.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts the text of special tokens out of the input before the subword algorithm sees it, as llama.cpp's
 * {@code tokenizer_st_partition}: token by token, longest text first, every occurrence in the remaining
 * plain text becomes that token. USER_DEFINED tokens are always cut out; CONTROL and UNKNOWN tokens only
 * with parse-special.
 */
final class SpecialTokenSplitter {
    /** A run of the input: plain text, or one special token. */
    sealed interface Fragment {}

    record Text(String text) implements Fragment {}

    record Special(int id) implements Fragment {}

    private final Vocabulary vocab;
    private final int[] userDefined;
    private final int[] allSpecial;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
        Comparator<Integer> longestFirst = Comparator.<Integer>comparingInt(id -> vocab.text(id).length()).reversed()
                .thenComparingInt(id -> id);
        // a plain loop over the vocabulary (128k tokens in LLaMA 3, run once, cold), streams over the few it keeps
        List<Integer> special = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            TokenType type = vocab.type(id);
            if (type.isSpecial() || type == TokenType.USER_DEFINED) {
                special.add(id);
            }
        }
        special.sort(longestFirst);
        this.allSpecial = special.stream().mapToInt(Integer::intValue).toArray();
        this.userDefined = IntStream.of(allSpecial).filter(id -> vocab.type(id) == TokenType.USER_DEFINED).toArray();
    }

    /** The fragments of {@code text} in order (none for empty text). */
    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (!text.isEmpty()) {
            fragments.add(new Text(text));
        }
        for (int id : parseSpecial ? allSpecial : userDefined) {
            fragments = cutOut(fragments, id, vocab.text(id));
        }
        return fragments;
    }

    private static List<Fragment> cutOut(List<Fragment> fragments, int id, String token) {
        List<Fragment> out = null;
        for (int f = 0; f < fragments.size(); f++) {
            Fragment fragment = fragments.get(f);
            int at = fragment instanceof Text t ? t.text().indexOf(token) : -1;
            if (at < 0) {
                if (out != null) {
                    out.add(fragment);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(fragments.subList(0, f));
            }
            String text = ((Text) fragment).text();
            int from = 0;
            for (; at >= 0; at = text.indexOf(token, from)) {
                if (at > from) {
                    out.add(new Text(text.substring(from, at)));
                }
                out.add(new Special(id));
                from = at + token.length();
            }
            if (from < text.length()) {
                out.add(new Text(text.substring(from)));
            }
        }
        return out != null ? out : fragments;
    }
}
