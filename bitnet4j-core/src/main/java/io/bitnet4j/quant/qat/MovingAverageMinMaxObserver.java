package io.bitnet4j.quant.qat;

/**
 * An exponential moving average of each batch's minimum and maximum, as PyTorch's
 * MovingAverageMinMaxObserver: the first batch sets the range, then each batch moves it by
 * {@code min += c·(batchMin − min)} (likewise max) with averaging constant {@code c}. Smooths the range
 * over noisy activation batches.
 */
public final class MovingAverageMinMaxObserver extends AbstractObserver {
    /** PyTorch's default averaging constant. */
    public static final double DEFAULT_AVERAGING_CONSTANT = 0.01;

    private final double averagingConstant;
    private double min;
    private double max;

    public MovingAverageMinMaxObserver(QuantSpec spec) {
        this(spec, DEFAULT_AVERAGING_CONSTANT);
    }

    /** {@code averagingConstant} in {@code (0, 1]}; 1 keeps only the latest batch. */
    public MovingAverageMinMaxObserver(QuantSpec spec, double averagingConstant) {
        super(spec);
        if (!(averagingConstant > 0 && averagingConstant <= 1)) {
            throw new IllegalArgumentException("averaging constant is " + averagingConstant + "; must be in (0, 1]");
        }
        this.averagingConstant = averagingConstant;
    }

    public double averagingConstant() {
        return averagingConstant;
    }

    @Override
    protected void accumulate(float[] x) {
        ValueRange batch = ValueRange.of(x);
        if (!hasObserved()) {
            min = batch.min();
            max = batch.max();
        } else {
            min += averagingConstant * (batch.min() - min);
            max += averagingConstant * (batch.max() - max);
        }
    }

    @Override
    protected ValueRange computeRange() {
        return new ValueRange((float) min, (float) max);
    }

    @Override
    protected void clear() {
        min = 0;
        max = 0;
    }
}
