package io.bitnet4j.quant.qat;

import java.util.Arrays;

/**
 * A fixed number of equal-width bins over a range that widens as new batches arrive.
 *
 * <p>Widening is exact whenever it can be: the new bin width is an integer multiple {@code k} of the old
 * one and the new edges fall on old edges, so every old bin lands whole in one new bin (PyTorch instead
 * spreads old counts over the new bins by interpolation). Only two cases re-bin by bin centres: a
 * histogram that so far holds a single repeated value (zero width), and a widening by more than
 * {@link #MAX_EXACT_MERGE} times, where the whole old histogram falls into one or two new bins anyway.
 */
final class GrowingHistogram {
    static final long MAX_EXACT_MERGE = 1L << 20;

    private final double[] counts;
    private double lo;
    private double hi;
    private float dataMin;
    private float dataMax;
    private boolean empty = true;

    GrowingHistogram(int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("histogram needs at least 2 bins, got " + bins);
        }
        counts = new double[bins];
    }

    /** Adds a non-empty batch of finite values, widening the range first if the batch falls outside it. */
    void add(float[] x) {
        ValueRange batch = ValueRange.of(x);
        if (empty) {
            lo = batch.min();
            hi = batch.max();
            dataMin = batch.min();
            dataMax = batch.max();
            empty = false;
        } else {
            dataMin = Math.min(dataMin, batch.min());
            dataMax = Math.max(dataMax, batch.max());
            if (batch.min() < lo || batch.max() > hi) {
                widen(Math.min(lo, batch.min()), Math.max(hi, batch.max()));
            }
        }
        for (float v : x) {
            counts[binOf(v)] += 1;
        }
    }

    int bins() {
        return counts.length;
    }

    /** The left edge of bin 0. */
    double lo() {
        return lo;
    }

    /** The width of one bin; 0 while every value seen is the same. */
    double binWidth() {
        return (hi - lo) / counts.length;
    }

    double count(int bin) {
        return counts[bin];
    }

    float dataMin() {
        return dataMin;
    }

    float dataMax() {
        return dataMax;
    }

    void clear() {
        Arrays.fill(counts, 0);
        empty = true;
        lo = hi = 0;
        dataMin = dataMax = 0;
    }

    private int binOf(double v) {
        if (hi == lo) {
            return 0;
        }
        int b = (int) ((v - lo) / (hi - lo) * counts.length);
        return Math.max(0, Math.min(counts.length - 1, b));
    }

    private void widen(double newLo, double newHi) {
        int bins = counts.length;
        double w = binWidth();
        if (w > 0) {
            // Old bins of padding needed on each side, then the smallest merge factor k that fits them.
            double left = Math.ceil((lo - newLo) / w);
            double right = Math.ceil((newHi - hi) / w);
            double needed = left + bins + right;
            double k = Math.ceil(needed / bins);
            if (k <= MAX_EXACT_MERGE) {
                mergeExactly((long) k, (long) left + ((long) k * bins - (long) needed) / 2, w);
                return;
            }
        }
        rebinByCentres(newLo, newHi);
    }

    /** New bin {@code b} is old (virtual) bins {@code b·k − offset .. b·k − offset + k − 1}. */
    private void mergeExactly(long k, long offset, double oldWidth) {
        double[] merged = new double[counts.length];
        for (int j = 0; j < counts.length; j++) {
            merged[(int) ((j + offset) / k)] += counts[j];
        }
        System.arraycopy(merged, 0, counts, 0, counts.length);
        lo -= offset * oldWidth;
        hi = lo + counts.length * k * oldWidth;
    }

    private void rebinByCentres(double newLo, double newHi) {
        double[] old = counts.clone();
        double oldLo = lo;
        double oldWidth = binWidth();
        Arrays.fill(counts, 0);
        lo = newLo;
        hi = newHi;
        for (int j = 0; j < old.length; j++) {
            if (old[j] != 0) {
                counts[binOf(oldLo + (j + 0.5) * oldWidth)] += old[j];
            }
        }
    }
}
