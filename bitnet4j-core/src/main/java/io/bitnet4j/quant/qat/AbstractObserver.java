package io.bitnet4j.quant.qat;

import io.bitnet4j.tensor.Checks;

/**
 * The shared part of every {@link Observer}: input checks, the calibration switch and the
 * "nothing observed yet" state. Subclasses only fold a batch into their statistics and compute a range.
 */
public abstract class AbstractObserver implements Observer {
    private final QuantSpec spec;
    private boolean calibrating = true;
    private long batches;

    protected AbstractObserver(QuantSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("quantization spec is null");
        }
        this.spec = spec;
    }

    public final QuantSpec spec() {
        return spec;
    }

    @Override
    public final void observe(float[] x) {
        // Checked even when frozen: a NaN batch is a bug upstream whether or not we keep statistics.
        Checks.requireNonEmpty(x, getClass().getSimpleName() + " input");
        Checks.requireFinite(x, getClass().getSimpleName() + " input");
        if (calibrating) {
            accumulate(x);
            batches++;
        }
    }

    @Override
    public final boolean hasObserved() {
        return batches > 0;
    }

    @Override
    public final ValueRange range() {
        if (batches == 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " has observed no data yet");
        }
        return computeRange();
    }

    @Override
    public QParams qparams() {
        return spec.qparams(range());
    }

    @Override
    public final boolean isCalibrating() {
        return calibrating;
    }

    @Override
    public final void setCalibrating(boolean calibrating) {
        this.calibrating = calibrating;
    }

    @Override
    public final void reset() {
        batches = 0;
        clear();
    }

    /** Folds a non-empty, finite batch into the statistics. */
    protected abstract void accumulate(float[] x);

    /** The range from the statistics; called only after at least one batch. */
    protected abstract ValueRange computeRange();

    /** Drops all statistics. */
    protected abstract void clear();
}
