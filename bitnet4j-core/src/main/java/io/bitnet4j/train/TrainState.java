package io.bitnet4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run changes: the float master weights, AdamW's moments, the number of steps taken and the loss history.
 * Saved and restored whole by {@link Checkpoint}, so a resumed run continues bit for bit.
 */
public final class TrainState {
    /** One logged step: training loss and learning rate, and the validation loss when it was measured (else NaN). */
    public record Point(long step, double trainLoss, double lr, double validationLoss) {}

    private final ParamLayout layout;
    private final float[] params;
    private final AdamW adam;
    private final List<Point> history;
    private long step;

    TrainState(ParamLayout layout, float[] params, AdamW adam, long step, List<Point> history) {
        if (params.length != layout.size()) {
            throw new IllegalArgumentException(params.length + " parameters for a model of " + layout.size());
        }
        this.layout = layout;
        this.params = params;
        this.adam = adam;
        this.step = step;
        this.history = new ArrayList<>(history);
    }

    /** A fresh model initialised from {@code seed}, before its first step. */
    public static TrainState initial(ModelShape shape, long seed) {
        ParamLayout layout = new ParamLayout(shape);
        return new TrainState(layout, ParamInit.initialize(layout, seed), newAdam(layout), 0, List.of());
    }

    static AdamW newAdam(ParamLayout layout) {
        return new AdamW(layout, 0.9f, 0.95f, 1e-8f);
    }

    public ParamLayout layout() {
        return layout;
    }

    /** The master weights (the state's own array). */
    public float[] params() {
        return params;
    }

    AdamW adam() {
        return adam;
    }

    /** Steps taken so far. */
    public long step() {
        return step;
    }

    void advance() {
        step++;
    }

    /** The loss history, oldest first. */
    public List<Point> history() {
        return List.copyOf(history);
    }

    void record(Point p) {
        history.add(p);
    }
}
