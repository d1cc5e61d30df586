package io.bitnet4j.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Named model sizes. {@code default} is the shipped {@code models/default.gguf}: widths that are multiples of 256 (so
 * TQ1_0/TQ2_0 hold every linear weight), two key/value heads for four query heads (grouped-query attention), SiLU as
 * llama.cpp's {@code bitnet} architecture computes it. {@code tiny} is for quick trials and tests.
 *
 * @param vocabSize the vocabulary the BPE trainer is asked for (the model uses what it returns)
 * @param seqs      sequences per batch
 * @param lr        peak learning rate
 */
public enum TrainPreset {
    DEFAULT(1024, 256, 4, 4, 2, 768, 256, 8, 2e-3f),
    TINY(320, 256, 1, 2, 1, 256, 32, 4, 3e-3f);

    private final int vocabSize;
    private final int dim;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int ffn;
    private final int context;
    private final int seqs;
    private final float lr;

    TrainPreset(int vocabSize, int dim, int layers, int heads, int kvHeads, int ffn, int context, int seqs, float lr) {
        this.vocabSize = vocabSize;
        this.dim = dim;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.ffn = ffn;
        this.context = context;
        this.seqs = seqs;
        this.lr = lr;
    }

    /** The model shape with {@code vocab} tokens and the given FFN activation. */
    public ModelShape shape(int vocab, GateActivation activation) {
        return new ModelShape(vocab, dim, layers, heads, kvHeads, ffn, context, 10000f, 1e-5f, activation);
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int seqs() {
        return seqs;
    }

    public float lr() {
        return lr;
    }

    /** The preset called {@code name} (case-insensitive); throws listing them. */
    public static TrainPreset named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; known: "
                    + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList(), e);
        }
    }
}
