package io.bitnet4j.train;

/**
 * The hyperparameters of the trained decoder: a BitNet b1.58 block (RMSNorm, grouped-query attention with NEOX RoPE and
 * {@code attn_sub_norm}, a gated FFN with {@code ffn_sub_norm}), the LM head tied to the embedding, as llama.cpp's
 * {@code bitnet} architecture runs it.
 *
 * @param vocab      tokens in the vocabulary
 * @param dim        model width; a multiple of {@code heads}
 * @param layers     transformer blocks
 * @param heads      query heads
 * @param kvHeads    key/value heads, dividing {@code heads} (grouped-query attention when fewer)
 * @param ffn        FFN hidden width
 * @param context    the longest sequence (training windows are this long)
 * @param ropeTheta  RoPE frequency base
 * @param rmsEps     RMSNorm epsilon
 * @param activation the FFN's gate activation
 */
public record ModelShape(int vocab, int dim, int layers, int heads, int kvHeads, int ffn, int context, float ropeTheta,
                         float rmsEps, GateActivation activation) {
    public ModelShape {
        positive(vocab, "vocab");
        positive(dim, "dim");
        positive(layers, "layers");
        positive(heads, "heads");
        positive(kvHeads, "kv heads");
        positive(ffn, "ffn");
        positive(context, "context");
        if (dim % heads != 0 || (dim / heads) % 2 != 0) {
            throw new IllegalArgumentException("dim " + dim + " must split into " + heads + " heads of an even size (RoPE rotates pairs)");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("kv heads " + kvHeads + " must divide heads " + heads);
        }
        if (!(ropeTheta > 0) || !Float.isFinite(ropeTheta) || !(rmsEps > 0) || !Float.isFinite(rmsEps)) {
            throw new IllegalArgumentException("rope theta " + ropeTheta + " and rms eps " + rmsEps + " must be positive and finite");
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is null");
        }
        long perLayer = 2L * dim * dim + 2L * dim * kvDim(dim, heads, kvHeads) + 3L * dim * ffn;
        if ((long) vocab * dim + layers * perLayer > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("model of " + (vocab * (long) dim + layers * perLayer) + " parameters is too large for this trainer");
        }
    }

    /** Width of one head. */
    public int headDim() {
        return dim / heads;
    }

    /** Width of the key (and value) projection: {@code kvHeads · headDim}. */
    public int kvDim() {
        return kvDim(dim, heads, kvHeads);
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** The same shape with another vocabulary size (known once the tokenizer is trained). */
    public ModelShape withVocab(int newVocab) {
        return new ModelShape(newVocab, dim, layers, heads, kvHeads, ffn, context, ropeTheta, rmsEps, activation);
    }

    private static int kvDim(int dim, int heads, int kvHeads) {
        return dim / heads * kvHeads;
    }

    private static void positive(int v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " is " + v + "; must be positive");
        }
    }
}
