package io.bitnet4j.cli;

import io.bitnet4j.train.Checkpoint;
import io.bitnet4j.train.LossLog;
import io.bitnet4j.train.TrainState;
import io.bitnet4j.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code train} shows and saves as it goes: a progress bar with loss, learning rate and tokens/s (or, without a
 * terminal, a log line every 10 steps), validation results, and at each checkpoint the checkpoint, loss.csv and the
 * loss-curve PNG.
 */
final class TrainProgress implements Trainer.Listener, AutoCloseable {
    private final Progress bar;
    private final boolean quiet;
    private final boolean console;
    private final PrintWriter err;
    private final Path dir;
    private final Path checkpoint;
    private double smoothed = Double.NaN;

    TrainProgress(long steps, long done, boolean quiet, PrintWriter err, Path dir, Path checkpoint) {
        this.bar = Progress.start("train", steps, " step", 1, quiet);
        this.bar.stepTo(done);
        this.quiet = quiet;
        this.console = System.console() != null;
        this.err = err;
        this.dir = dir;
        this.checkpoint = checkpoint;
    }

    @Override
    public void onStep(long step, double loss, double lr, double lambda, double gradNorm, double tokensPerSecond) {
        smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        String msg = String.format(Locale.ROOT, "loss %.3f lr %.2e %.0f tok/s", smoothed, lr, tokensPerSecond);
        bar.extraMessage(msg);
        bar.stepTo(step);
        if (!quiet && !console && step % 10 == 0) {
            err.printf(Locale.ROOT, "step %d loss %.4f (avg %.4f) lr %.3e λ %.2f |g| %.3f %.0f tok/s%n", step, loss, smoothed, lr, lambda,
                    gradNorm, tokensPerSecond);
            err.flush();
        }
    }

    @Override
    public void onValidation(long step, double loss) {
        if (!quiet) {
            err.printf(Locale.ROOT, "%sstep %d validation loss %.4f perplexity %.3f%n", console ? "\n" : "", step, loss, Math.exp(loss));
            err.flush();
        }
    }

    @Override
    public void onCheckpoint(TrainState state) throws IOException {
        Checkpoint.save(state, checkpoint);
        LossLog.writeCsv(state.history(), dir.resolve("loss.csv"));
        if (!state.history().isEmpty()) {
            LossLog.writePlot(state.history(), "bitnet4j train: loss by step", dir.resolve("loss.png"));
        }
    }

    @Override
    public void close() {
        bar.close();
    }
}
