package io.bitnet4j.quant.qat;

/** The observers a {@link FakeQuantConfig} can name, each created with its defaults. */
public enum ObserverKind {
    /** No observer: the quantizer's scale is learned ({@link LsqQuantizer}). */
    NONE,
    /** {@link MinMaxObserver}. */
    MIN_MAX,
    /** {@link MovingAverageMinMaxObserver}, averaging constant 0.01. */
    MOVING_AVERAGE_MIN_MAX,
    /** {@link PercentileObserver}, 0.01 % to 99.99 %. */
    PERCENTILE,
    /** {@link MeanStdObserver}, mean ± 3σ. */
    MEAN_STD,
    /** {@link HistogramObserver}, 2048 bins. */
    HISTOGRAM;

    /** A new observer of this kind for {@code spec}; {@link #NONE} has none and throws. */
    public Observer create(QuantSpec spec) {
        return switch (this) {
            case NONE -> throw new IllegalStateException("observer kind NONE creates no observer");
            case MIN_MAX -> new MinMaxObserver(spec);
            case MOVING_AVERAGE_MIN_MAX -> new MovingAverageMinMaxObserver(spec);
            case PERCENTILE -> new PercentileObserver(spec);
            case MEAN_STD -> new MeanStdObserver(spec);
            case HISTOGRAM -> new HistogramObserver(spec);
        };
    }
}
