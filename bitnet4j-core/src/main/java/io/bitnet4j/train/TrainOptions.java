package io.bitnet4j.train;

import io.bitnet4j.quant.ste.LambdaSchedule;

/**
 * How to train.
 *
 * @param mode          QAT, float baseline or PTQ of the float baseline
 * @param steps         optimizer steps
 * @param seqs          sequences per batch (each {@code shape.context()} tokens long)
 * @param schedule      learning rate and weight decay by step
 * @param lambda        the λ warm-up of quantization in QAT ({@link LambdaSchedule#none()} quantizes from step 0)
 * @param clipNorm      global gradient-norm clip (≤ 0: none)
 * @param seed          initialisation and batch order
 * @param evalEvery     steps between validation evaluations (≤ 0: only at the end)
 * @param evalBatches   batches per intermediate evaluation (the final one reads the whole validation part)
 * @param checkpointEvery steps between checkpoints (≤ 0: only at the end)
 */
public record TrainOptions(TrainMode mode, long steps, int seqs, Schedule schedule, LambdaSchedule lambda, double clipNorm, long seed,
                           long evalEvery, int evalBatches, long checkpointEvery) {
    public TrainOptions {
        if (mode == null || schedule == null || lambda == null) {
            throw new IllegalArgumentException("mode, schedule and lambda schedule must be given");
        }
        if (steps < 1 || seqs < 1 || evalBatches < 1) {
            throw new IllegalArgumentException("steps " + steps + ", sequences per batch " + seqs + " and eval batches " + evalBatches
                    + " must be positive");
        }
        if (!Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm " + clipNorm + " must be finite");
        }
    }
}
