package io.bitnet4j.quant.qat;

/**
 * Chooses the clipping range of a histogram that minimises the L2 quantization error under a
 * {@link QuantSpec}.
 *
 * <p><b>Error model.</b> Each bin's count is spread uniformly over the bin (the outermost bins only over
 * the part between the observed minimum and maximum). For a candidate range the spec gives
 * {@link QParams}; every real {@code x} then maps to the nearest grid value {@code (q − zp)·scale}
 * inside {@code [qmin, qmax]}, and the error is {@code ∫ density(x)·(x − Q(x))² dx}, integrated exactly
 * per bin in O(1): below and above the grid it is a plain cubic, and across the grid the rounding error
 * is periodic with period {@code scale}, whose antiderivative has a closed form. So one candidate costs
 * O(bins), whatever the bit width.
 *
 * <p><b>Search.</b> Candidates are ranges whose ends are bin edges, walked along two paths from the
 * full observed range inward (the full range is a candidate too, so the result is never worse than
 * min/max on the histogrammed data):
 * <ul>
 *   <li>asymmetric: repeatedly drop the end bin holding fewer values (empty bins go first, for free; on a tie the end
 *       farther from zero), so
 *       a heavy tail is trimmed before a light one, in the manner of PyTorch's HistogramObserver, which
 *       advances whichever quantile bound moves more bins;</li>
 *   <li>symmetric: drop one bin from each end together.</li>
 * </ul>
 * Unlike PyTorch, which stops at the first candidate whose error rises, every candidate on both paths
 * is evaluated and the global minimum taken (ties keep the wider range): the error along a path is not
 * unimodal in general. Cost O(bins²), about 8·10⁶ bin evaluations for 2048 bins.
 */
final class HistogramRangeSearch {
    private HistogramRangeSearch() {}

    static ValueRange search(GrowingHistogram h, QuantSpec spec) {
        float dataMin = h.dataMin();
        float dataMax = h.dataMax();
        if (h.binWidth() == 0 || dataMin == dataMax) {
            return new ValueRange(dataMin, dataMax);
        }
        int first = 0;
        while (h.count(first) == 0) {
            first++;
        }
        int last = h.bins() - 1;
        while (h.count(last) == 0) {
            last--;
        }
        Evaluator eval = new Evaluator(h, spec, first, last);
        ValueRange best = eval.candidate(first, last);
        double bestError = eval.error(best);

        int i = first;
        int j = last;
        while (i < j) {
            if (h.count(i) < h.count(j) || (h.count(i) == h.count(j) && -eval.edge(i) >= eval.edge(j + 1))) {
                i++;
            } else {
                j--;
            }
            ValueRange c = eval.candidate(i, j);
            double e = eval.error(c);
            if (e < bestError) {
                best = c;
                bestError = e;
            }
        }
        for (i = first + 1, j = last - 1; i <= j; i++, j--) {
            ValueRange c = eval.candidate(i, j);
            double e = eval.error(c);
            if (e < bestError) {
                best = c;
                bestError = e;
            }
        }
        return best;
    }

    /** The histogrammed data of one search: bin geometry, and the error of a candidate range. */
    private record Evaluator(GrowingHistogram h, QuantSpec spec, int first, int last) {

        double edge(int bin) {
            return h.lo() + bin * h.binWidth();
        }

        /** Bins {@code i..j} as a range, trimmed to the observed data. */
        ValueRange candidate(int i, int j) {
            float lo = (float) Math.min(Math.max(edge(i), h.dataMin()), h.dataMax());
            float hi = (float) Math.min(Math.max(edge(j + 1), lo), h.dataMax());
            return new ValueRange(lo, hi);
        }

        /** The modelled L2 error of quantizing the histogram with the spec's parameters for {@code range}. */
        double error(ValueRange range) {
            QParams qp = spec.qparams(range);
            double s = qp.scale();
            double gridLo = ((long) qp.qmin() - qp.zeroPoint()) * s;
            double gridHi = ((long) qp.qmax() - qp.zeroPoint()) * s;
            double total = 0;
            for (int b = first; b <= last; b++) {
                double m = h.count(b);
                if (m == 0) {
                    continue;
                }
                double u = Math.max(edge(b), h.dataMin());
                double v = Math.min(edge(b + 1), h.dataMax());
                if (v <= u) { // a sliver of a bin: treat its mass as a point
                    double e = pointError(u, s, gridLo, gridHi);
                    total += m * e;
                } else {
                    total += m / (v - u) * integral(u, v, s, gridLo, gridHi);
                }
            }
            return total;
        }
    }

    /** {@code ∫_u^v (x − Q(x))² dx} for the grid {@code gridLo + n·s}, {@code n = 0..}, ending at {@code gridHi}. */
    static double integral(double u, double v, double s, double gridLo, double gridHi) {
        double sum = 0;
        if (u < gridLo) { // saturates to gridLo
            sum += (cube(Math.min(v, gridLo) - gridLo) - cube(u - gridLo)) / 3;
        }
        if (v > gridHi) { // saturates to gridHi
            sum += (cube(v - gridHi) - cube(Math.max(u, gridHi) - gridHi)) / 3;
        }
        double a = Math.max(u, gridLo);
        double b = Math.min(v, gridHi);
        if (b > a) {
            sum += periodicAntiderivative(b - gridLo, s) - periodicAntiderivative(a - gridLo, s);
        }
        return sum;
    }

    /**
     * {@code ∫_0^y (t − s·round(t/s))² dt} for {@code y >= 0}: each whole period contributes {@code s³/12};
     * within a period the error is {@code t²} up to {@code s/2} and {@code (t − s)²} after.
     */
    static double periodicAntiderivative(double y, double s) {
        double periods = Math.floor(y / s);
        double r = y - periods * s;
        double partial = r <= s / 2 ? cube(r) / 3 : cube(s) / 24 + (cube(r - s) + cube(s) / 8) / 3;
        return periods * cube(s) / 12 + partial;
    }

    private static double pointError(double x, double s, double gridLo, double gridHi) {
        double clamped = Math.max(gridLo, Math.min(gridHi, x));
        double q = gridLo + Math.rint((clamped - gridLo) / s) * s;
        return (x - q) * (x - q);
    }

    private static double cube(double d) {
        return d * d * d;
    }
}
