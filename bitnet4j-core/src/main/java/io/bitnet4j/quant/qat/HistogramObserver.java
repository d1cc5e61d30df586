package io.bitnet4j.quant.qat;

/**
 * Accumulates a histogram of every batch and picks the range that minimises the L2 quantization error
 * of the histogrammed data for its spec's bit width and scheme (PyTorch's HistogramObserver idea; see
 * {@link HistogramRangeSearch} for the error model and the search).
 *
 * <p>On heavy-tailed data this clips the tails where rounding error saved in the bulk outweighs the
 * clipping error; on uniform data it keeps (within a few bins) the full range. The search costs
 * O(bins²); its result is cached until the next batch.
 */
public final class HistogramObserver extends AbstractObserver {
    /** PyTorch's default bin count. */
    public static final int DEFAULT_BINS = 2048;

    private final GrowingHistogram histogram;
    private ValueRange cached;

    public HistogramObserver(QuantSpec spec) {
        this(spec, DEFAULT_BINS);
    }

    /** {@code bins} at least 2; more bins model the data more finely but make the search slower. */
    public HistogramObserver(QuantSpec spec, int bins) {
        super(spec);
        this.histogram = new GrowingHistogram(bins);
    }

    @Override
    protected void accumulate(float[] x) {
        histogram.add(x);
        cached = null;
    }

    @Override
    protected ValueRange computeRange() {
        if (cached == null) {
            cached = HistogramRangeSearch.search(histogram, spec());
        }
        return cached;
    }

    @Override
    protected void clear() {
        histogram.clear();
        cached = null;
    }
}
