package io.bitnet4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The loss history as CSV ({@code step,train_loss,lr,validation_loss}; the last empty where not measured). */
public final class LossLog {
    private LossLog() {}

    /** Writes {@code history} to {@code file}. */
    public static void writeCsv(List<TrainState.Point> history, Path file) throws IOException {
        StringBuilder b = new StringBuilder("step,train_loss,lr,validation_loss\n");
        for (TrainState.Point p : history) {
            b.append(String.format(Locale.ROOT, "%d,%.6f,%.6g,%s%n", p.step(), p.trainLoss(), p.lr(),
                    Double.isNaN(p.validationLoss()) ? "" : String.format(Locale.ROOT, "%.6f", p.validationLoss())));
        }
        Files.writeString(file, b);
    }
}
