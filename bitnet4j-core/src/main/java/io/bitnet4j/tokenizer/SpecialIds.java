package io.bitnet4j.tokenizer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The special ids while a tokenizer is being loaded: the model family's defaults, overridden by the
 * file, then completed the way llama.cpp completes them ({@link #resolve}).
 */
final class SpecialIds {
    /** Texts llama.cpp takes as the end-of-turn token when the metadata names none, in our order of preference. */
    static final List<String> EOT_TEXTS = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "<｜end▁of▁sentence｜>");
    /** Texts llama.cpp treats as ending generation whatever the metadata says. */
    static final List<String> END_OF_GENERATION_TEXTS = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>");
    static final String EOM_TEXT = "<|eom_id|>";

    int bos = Tokenizer.NO_TOKEN;
    int eos = Tokenizer.NO_TOKEN;
    int eot = Tokenizer.NO_TOKEN;
    int eom = Tokenizer.NO_TOKEN;
    int unk = Tokenizer.NO_TOKEN;
    int sep = Tokenizer.NO_TOKEN;
    int pad = Tokenizer.NO_TOKEN;
    boolean addBos;
    boolean addEos;

    /**
     * Finds EOT and EOM by their text when unset, marks every end-of-turn token CONTROL (so it is hidden
     * in output and only parsed as special), and collects the end-of-generation set. Defaults that lie
     * outside the vocabulary are dropped.
     */
    SpecialTokens resolve(Vocabulary vocab) {
        bos = inRange(bos, vocab);
        eos = inRange(eos, vocab);
        eot = inRange(eot, vocab);
        eom = inRange(eom, vocab);
        unk = inRange(unk, vocab);
        sep = inRange(sep, vocab);
        pad = inRange(pad, vocab);
        if (eot == Tokenizer.NO_TOKEN) {
            for (String text : EOT_TEXTS) {
                int id = vocab.id(text);
                if (id >= 0) {
                    eot = id;
                    vocab.markControl(id);
                    break;
                }
            }
        }
        if (eom == Tokenizer.NO_TOKEN) {
            eom = vocab.id(EOM_TEXT);
        }
        Set<Integer> eog = new LinkedHashSet<>();
        for (String text : END_OF_GENERATION_TEXTS) {
            int id = vocab.id(text);
            if (id >= 0) {
                eog.add(id);
                vocab.markControl(id);
            }
        }
        for (int id : new int[] {eos, eot, eom}) {
            if (id != Tokenizer.NO_TOKEN) {
                eog.add(id);
            }
        }
        return new SpecialTokens(bos, eos, eot, eom, unk, sep, pad, addBos, addEos, eog);
    }

    private static int inRange(int id, Vocabulary vocab) {
        return id >= 0 && id < vocab.size() ? id : Tokenizer.NO_TOKEN;
    }
}
