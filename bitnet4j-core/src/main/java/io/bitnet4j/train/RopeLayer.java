package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;

/**
 * Rotary position embedding in NEOX order (dimension {@code i} pairs with {@code i + headDim/2}), as llama.cpp rotates
 * the {@code bitnet} architecture's queries and keys: {@code θ_i = pos · base^(−2i/headDim)}. Rows are positions
 * {@code t mod context} of consecutive sequences. The backward pass is the inverse rotation.
 */
final class RopeLayer {
    private final int headDim;
    private final float[] cos;
    private final float[] sin;

    RopeLayer(int context, int headDim, float base) {
        this.headDim = headDim;
        int half = headDim / 2;
        cos = new float[context * half];
        sin = new float[context * half];
        for (int p = 0; p < context; p++) {
            for (int i = 0; i < half; i++) {
                double theta = p * Math.pow(base, -2.0 * i / headDim);
                cos[p * half + i] = (float) Math.cos(theta);
                sin[p * half + i] = (float) Math.sin(theta);
            }
        }
    }

    /** Rotates in place every head of {@code rows} rows of {@code heads·headDim}; row {@code r} is at position {@code r mod seqLen}. */
    void forward(float[] x, int rows, int heads, int seqLen, WorkerPool pool) {
        pool.run(rows, 64, (w, from, to) -> rotate(x, from, to, heads, seqLen, 1f));
    }

    /** The gradient through the rotation: rotates {@code dx} in place by the opposite angles. */
    void backward(float[] dx, int rows, int heads, int seqLen, WorkerPool pool) {
        pool.run(rows, 64, (w, from, to) -> rotate(dx, from, to, heads, seqLen, -1f));
    }

    private void rotate(float[] x, int fromRow, int toRow, int heads, int seqLen, float sign) {
        int half = headDim / 2;
        for (int r = fromRow; r < toRow; r++) {
            int p = (r % seqLen) * half;
            for (int h = 0; h < heads; h++) {
                int o = (r * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    float c = cos[p + i];
                    float s = sign * sin[p + i];
                    float x0 = x[o + i];
                    float x1 = x[o + i + half];
                    x[o + i] = x0 * c - x1 * s;
                    x[o + i + half] = x0 * s + x1 * c;
                }
            }
        }
    }
}
