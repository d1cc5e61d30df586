package io.bitnet4j.tokenizer;

import java.util.Set;

/**
 * A vocabulary's special token ids ({@link Tokenizer#NO_TOKEN} where a model has none) and whether
 * encoding with special tokens adds BOS and EOS.
 *
 * @param bos beginning of sequence
 * @param eos end of sequence
 * @param eot end of turn (LLaMA 3's {@code <|eot_id|>}): from the metadata, else found by its text
 * @param eom end of message ({@code <|eom_id|>}), likewise
 * @param unk the unknown token, used by SentencePiece for bytes it cannot encode otherwise
 * @param sep separator
 * @param pad padding
 * @param addBos whether {@link Tokenizer#encode(String, boolean, boolean)} with {@code addSpecial} prepends BOS
 * @param addEos whether it appends EOS
 * @param endOfGeneration the ids that end generation: EOS, EOT, EOM and the usual end-of-turn texts
 */
public record SpecialTokens(int bos, int eos, int eot, int eom, int unk, int sep, int pad,
                            boolean addBos, boolean addEos, Set<Integer> endOfGeneration) {
    public SpecialTokens {
        endOfGeneration = Set.copyOf(endOfGeneration);
    }
}
