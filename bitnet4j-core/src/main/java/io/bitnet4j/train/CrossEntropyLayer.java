package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;

/** Mean cross-entropy of next-token logits, fused with its gradient {@code (softmax − onehot) / rows}. */
final class CrossEntropyLayer {
    private CrossEntropyLayer() {}

    /**
     * The mean of {@code −log softmax(logits[r])[targets[r]]} over rows. If {@code gradScale > 0} the logits are
     * replaced by their gradient times {@code gradScale} (pass {@code 1/rows} for the mean's gradient).
     */
    static double forwardBackward(float[] logits, int[] targets, int vocab, float gradScale, WorkerPool pool) {
        int rows = targets.length;
        double[] losses = new double[rows];
        pool.run(rows, 8, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * vocab;
                int target = targets[r];
                if (target < 0 || target >= vocab) {
                    throw new IllegalArgumentException("target " + target + " at row " + r + " is outside the vocabulary of " + vocab);
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < vocab; i++) {
                    max = Math.max(max, logits[o + i]);
                }
                double sum = 0;
                for (int i = 0; i < vocab; i++) {
                    sum += Math.exp(logits[o + i] - max);
                }
                losses[r] = Math.log(sum) - (logits[o + target] - max);
                if (gradScale > 0) {
                    for (int i = 0; i < vocab; i++) {
                        float p = (float) (Math.exp(logits[o + i] - max) / sum);
                        logits[o + i] = (p - (i == target ? 1f : 0f)) * gradScale;
                    }
                }
            }
        });
        double total = 0;
        for (double l : losses) {
            total += l;
        }
        return total / rows;
    }
}
