package io.bitnet4j.quant.qat;

/**
 * The range {@code mean ± k·σ} of everything observed (population standard deviation, k = 3 by
 * default), intersected with the observed minimum and maximum: outliers beyond kσ are clipped, but the
 * range never reaches past data that was actually seen (for light-tailed data such as a uniform
 * distribution, ±3σ is wider than the data).
 *
 * <p>Mean and variance run across batches without storing them: each batch's mean and sum of squared
 * deviations are computed in two passes in double and merged with Chan et al.'s pairwise update, which
 * stays accurate when the mean is large compared with σ.
 */
public final class MeanStdObserver extends AbstractObserver {
    public static final double DEFAULT_STD_MULTIPLE = 3.0;

    private final double stdMultiple;
    private long count;
    private double mean;
    private double sumSquaredDeviations;
    private float min;
    private float max;

    public MeanStdObserver(QuantSpec spec) {
        this(spec, DEFAULT_STD_MULTIPLE);
    }

    /** {@code stdMultiple} is k in {@code mean ± k·σ}; positive and finite. */
    public MeanStdObserver(QuantSpec spec, double stdMultiple) {
        super(spec);
        if (!(stdMultiple > 0) || !Double.isFinite(stdMultiple)) {
            throw new IllegalArgumentException("standard-deviation multiple is " + stdMultiple + "; must be positive and finite");
        }
        this.stdMultiple = stdMultiple;
    }

    /** The running mean. */
    public double mean() {
        return mean;
    }

    /** The running population standard deviation. */
    public double std() {
        return count == 0 ? 0 : Math.sqrt(sumSquaredDeviations / count);
    }

    @Override
    protected void accumulate(float[] x) {
        double batchMean = 0;
        for (float v : x) {
            batchMean += v;
        }
        batchMean /= x.length;
        double batchM2 = 0;
        for (float v : x) {
            double d = v - batchMean;
            batchM2 += d * d;
        }
        long total = count + x.length;
        double delta = batchMean - mean;
        sumSquaredDeviations += batchM2 + delta * delta * ((double) count * x.length / total);
        mean += delta * x.length / total;
        count = total;

        ValueRange batch = ValueRange.of(x);
        min = hasObserved() ? Math.min(min, batch.min()) : batch.min();
        max = hasObserved() ? Math.max(max, batch.max()) : batch.max();
    }

    @Override
    protected ValueRange computeRange() {
        double spread = stdMultiple * std();
        // The double mean of identical floats can land an ulp outside [min, max]; clamp it so lo <= hi.
        double centre = Math.max(min, Math.min(max, mean));
        float lo = (float) Math.max(centre - spread, min);
        float hi = (float) Math.min(centre + spread, max);
        return new ValueRange(lo, hi);
    }

    @Override
    protected void clear() {
        count = 0;
        mean = 0;
        sumSquaredDeviations = 0;
        min = 0;
        max = 0;
    }
}
