package io.bitnet4j.quant.qat;

/** The running minimum and maximum over every batch: exact, but a single outlier stretches the range. */
public final class MinMaxObserver extends AbstractObserver {
    private float min;
    private float max;

    public MinMaxObserver(QuantSpec spec) {
        super(spec);
    }

    @Override
    protected void accumulate(float[] x) {
        ValueRange batch = ValueRange.of(x);
        min = hasObserved() ? Math.min(min, batch.min()) : batch.min();
        max = hasObserved() ? Math.max(max, batch.max()) : batch.max();
    }

    @Override
    protected ValueRange computeRange() {
        return new ValueRange(min, max);
    }

    @Override
    protected void clear() {
        min = 0;
        max = 0;
    }
}
