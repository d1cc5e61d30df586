package io.bitnet4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The loss history written beside the checkpoints: as CSV ({@code step,train_loss,lr,validation_loss}; the last empty
 * where not measured) and as a PNG curve ({@link LossCurvePlot}).
 */
public final class LossLog {
    private LossLog() {}

    /** Writes {@code history} to {@code file} (atomically). */
    public static void writeCsv(List<TrainState.Point> history, Path file) throws IOException {
        StringBuilder b = new StringBuilder("step,train_loss,lr,validation_loss\n");
        for (TrainState.Point p : history) {
            b.append(String.format(Locale.ROOT, "%d,%.6f,%.6g,%s%n", p.step(), p.trainLoss(), p.lr(),
                    Double.isNaN(p.validationLoss()) ? "" : String.format(Locale.ROOT, "%.6f", p.validationLoss())));
        }
        AtomicFile.write(file, temp -> Files.writeString(temp, b));
    }

    /** Plots the training loss of every step and the validation losses measured. */
    public static void writePlot(List<TrainState.Point> history, String title, Path png) throws IOException {
        List<LossCurvePlot.LossPoint> train = history.stream().map(p -> new LossCurvePlot.LossPoint(p.step(), p.trainLoss())).toList();
        List<LossCurvePlot.LossPoint> validation = history.stream().filter(p -> !Double.isNaN(p.validationLoss()))
                .map(p -> new LossCurvePlot.LossPoint(p.step(), p.validationLoss())).toList();
        LossCurvePlot.write(png, title, train, validation);
    }
}
