package io.bitnet4j.quant.qat;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The range between a low and a high percentile of everything observed (0.01 % and 99.99 % by default),
 * clipping rare outliers.
 *
 * <p><b>Across batches</b> the observer keeps a uniform sample of all values seen: a reservoir
 * (Vitter's algorithm R) of at most {@code capacity} values, 65,536 by default. Until that many values
 * have been seen the reservoir holds all of them and the percentiles are exact; after that each value
 * seen so far is in the reservoir with equal probability, so the percentiles are estimates from an
 * unbiased sample. The replacement choices come from a seeded {@link SplittableRandom}, so a run is
 * reproducible. Memory grows with the values seen, up to {@code capacity} floats.
 *
 * <p><b>Percentile definition.</b> For {@code n} sorted values {@code v[0..n−1]}, percentile {@code p}
 * sits at rank {@code r = p/100·(n − 1)}. The low bound takes {@code v[ceil(r_low)]} and the high bound
 * {@code v[floor(r_high)]}: ranks are rounded <em>inward</em>, so a bound is always a real data value
 * no farther out than the requested percentile. Interpolating between neighbours instead would let one
 * huge outlier drag the 99.99th percentile of 200 values 98 % of the way to itself; inward rounding
 * clips it. When the sample is so small that the inward ranks cross, the nearest ranks are used.
 */
public final class PercentileObserver extends AbstractObserver {
    public static final double DEFAULT_LOW_PERCENTILE = 0.01;
    public static final double DEFAULT_HIGH_PERCENTILE = 99.99;
    public static final int DEFAULT_CAPACITY = 1 << 16;
    public static final long DEFAULT_SEED = 0x5EED_0B5EL;

    /** Absorbs floating-point error in {@code p/100·(n−1)} so an exact rank is not rounded away. */
    private static final double RANK_TOLERANCE = 1e-9;

    private final double lowPercentile;
    private final double highPercentile;
    private final int capacity;
    private final long seed;
    private SplittableRandom random;
    private float[] reservoir = new float[0];
    private int size;
    private long seen;

    public PercentileObserver(QuantSpec spec) {
        this(spec, DEFAULT_LOW_PERCENTILE, DEFAULT_HIGH_PERCENTILE, DEFAULT_CAPACITY, DEFAULT_SEED);
    }

    /**
     * @param lowPercentile lower bound in percent, {@code 0 <= low < high}
     * @param highPercentile upper bound in percent, {@code low < high <= 100}
     * @param capacity the reservoir size, at least 1
     * @param seed seeds the reservoir's replacement choices
     */
    public PercentileObserver(QuantSpec spec, double lowPercentile, double highPercentile, int capacity, long seed) {
        super(spec);
        if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
            throw new IllegalArgumentException("percentiles " + lowPercentile + " and " + highPercentile
                    + " must satisfy 0 <= low < high <= 100");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("reservoir capacity is " + capacity + "; must be at least 1");
        }
        this.lowPercentile = lowPercentile;
        this.highPercentile = highPercentile;
        this.capacity = capacity;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** How many values the reservoir holds now. */
    public int sampleSize() {
        return size;
    }

    @Override
    protected void accumulate(float[] x) {
        for (float v : x) {
            seen++;
            if (size < capacity) {
                if (size == reservoir.length) {
                    reservoir = Arrays.copyOf(reservoir, (int) Math.min(capacity, Math.max(16L, 2L * size)));
                }
                reservoir[size++] = v;
            } else {
                long j = random.nextLong(seen);
                if (j < capacity) {
                    reservoir[(int) j] = v;
                }
            }
        }
    }

    @Override
    protected ValueRange computeRange() {
        float[] sorted = Arrays.copyOf(reservoir, size);
        Arrays.sort(sorted);
        double lowRank = lowPercentile / 100 * (size - 1);
        double highRank = highPercentile / 100 * (size - 1);
        int lo = (int) Math.ceil(lowRank - RANK_TOLERANCE);
        int hi = (int) Math.floor(highRank + RANK_TOLERANCE);
        if (lo > hi) {
            lo = (int) Math.round(lowRank);
            hi = (int) Math.round(highRank);
        }
        return new ValueRange(sorted[lo], sorted[hi]);
    }

    @Override
    protected void clear() {
        reservoir = new float[0];
        size = 0;
        seen = 0;
        random = new SplittableRandom(seed);
    }
}
