package io.bitnet4j.train;

/** Token embedding: row {@code token} of the table {@code E[vocab, dim]} per position. */
final class EmbeddingLayer {
    private EmbeddingLayer() {}

    /** {@code out[t, :] = table[tokens[t], :]}. */
    static void forward(int[] tokens, float[] table, int tableOff, int vocab, int dim, float[] out) {
        for (int t = 0; t < tokens.length; t++) {
            int id = tokens[t];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token " + id + " at position " + t + " is outside the vocabulary of " + vocab);
            }
            System.arraycopy(table, tableOff + id * dim, out, t * dim, dim);
        }
    }

    /** {@code dTable[tokens[t], :] += dOut[t, :]}, in position order (a fixed order keeps the sums reproducible). */
    static void backward(int[] tokens, float[] dOut, float[] dTable, int tableOff, int dim) {
        for (int t = 0; t < tokens.length; t++) {
            int row = tableOff + tokens[t] * dim;
            for (int i = 0; i < dim; i++) {
                dTable[row + i] += dOut[t * dim + i];
            }
        }
    }
}
