package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;
import java.io.IOException;

/**
 * The training loop: batch, forward, backward, clip, AdamW, with validation and checkpoints at intervals. It runs a
 * {@link TrainState} from its current step to {@code options.steps()}, so resuming is running it again on a loaded
 * state. Everything the loop does is fixed by the seed and the step (batches, λ, learning rate), and every reduction
 * runs in a fixed order, so the weights come out bit-identical for a seed, interrupted or not.
 */
public final class Trainer {
    /** What the loop reports. Defaults do nothing. */
    public interface Listener {
        /** After each step. */
        default void onStep(long step, double loss, double lr, double lambda, double gradNorm, double tokensPerSecond) {}

        /** After each validation. */
        default void onValidation(long step, double loss) {}

        /** At each checkpoint interval and at the end (the state after {@code step} steps). */
        default void onCheckpoint(TrainState state) throws IOException {}
    }

    private final TrainOptions options;
    private final TokenData data;
    private final WorkerPool pool;

    public Trainer(TrainOptions options, TokenData data, WorkerPool pool) {
        this.options = options;
        this.data = data;
        this.pool = pool;
    }

    /** Trains {@code state} up to {@code options.steps()} steps. */
    public void run(TrainState state, Listener listener) throws IOException {
        ParamLayout layout = state.layout();
        int seqLen = layout.shape().context();
        Transformer model = new Transformer(layout, options.seqs(), seqLen);
        int[] inputs = new int[model.rows()];
        int[] targets = new int[model.rows()];
        float[] grads = new float[layout.size()];
        long started = System.nanoTime();
        long firstStep = state.step();
        while (state.step() < options.steps()) {
            long step = state.step();
            double lambda = options.lambda().lambda(step);
            data.trainBatch(options.seed(), step, options.seqs(), seqLen, inputs, targets);
            double loss = model.loss(state.params(), inputs, targets, options.mode().training(lambda), true, pool);
            java.util.Arrays.fill(grads, 0f);
            model.backward(grads, pool);
            double norm = AdamW.clipGlobalNorm(grads, options.clipNorm());
            float lr = options.schedule().lr(step);
            state.adam().step(state.params(), grads, step + 1, lr, options.schedule().weightDecay(step), pool);
            state.advance();
            long done = state.step();
            double valLoss = Double.NaN;
            if (options.evalEvery() > 0 && done % options.evalEvery() == 0 && done < options.steps()) {
                valLoss = validationLoss(state, options.evalBatches());
                listener.onValidation(done, valLoss);
            }
            state.record(new TrainState.Point(done, loss, lr, valLoss));
            double seconds = (System.nanoTime() - started) / 1e9;
            listener.onStep(done, loss, lr, lambda, norm, (done - firstStep) * (double) model.rows() / seconds);
            if (options.checkpointEvery() > 0 && done % options.checkpointEvery() == 0 && done < options.steps()) {
                listener.onCheckpoint(state);
            }
        }
        listener.onCheckpoint(state);
    }

    /** Mean validation loss of the model as the mode evaluates it, over up to {@code maxBatches} batches (all when ≤ 0). */
    public double validationLoss(TrainState state, int maxBatches) {
        return evaluate(state.layout(), state.params(), options.mode().evaluation(), maxBatches);
    }

    /**
     * Mean next-token loss over consecutive validation windows, whole batches only (so every window counts once and
     * the mean is over equal-sized batches); {@code maxBatches ≤ 0} reads all of them.
     */
    public double evaluate(ParamLayout layout, float[] params, Quantization q, int maxBatches) {
        int seqLen = layout.shape().context();
        int windows = data.validationWindows(seqLen);
        int seqs = Math.min(options.seqs(), windows);
        if (seqs == 0) {
            throw new IllegalStateException("the validation part has " + data.validationTokens() + " tokens, less than one window of "
                    + (seqLen + 1));
        }
        Transformer model = new Transformer(layout, seqs, seqLen);
        int[] inputs = new int[model.rows()];
        int[] targets = new int[model.rows()];
        int batches = windows / seqs;
        if (maxBatches > 0) {
            batches = Math.min(batches, maxBatches);
        }
        double sum = 0;
        for (int b = 0; b < batches; b++) {
            data.validationBatch(b * seqs, seqs, seqLen, inputs, targets);
            sum += model.loss(params, inputs, targets, q, false, pool);
        }
        return sum / batches;
    }
}
