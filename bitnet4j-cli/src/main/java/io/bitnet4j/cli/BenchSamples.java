package io.bitnet4j.cli;

import java.util.Arrays;

/** The tokens-per-second of the timed runs of one test, summarised as llama-bench does (mean, sample standard deviation). */
record BenchSamples(double[] tokensPerSecond) {
    BenchSamples {
        tokensPerSecond = tokensPerSecond.clone();
    }

    @Override
    public double[] tokensPerSecond() {
        return tokensPerSecond.clone();
    }

    double mean() {
        return Arrays.stream(tokensPerSecond).average().orElse(Double.NaN);
    }

    /** With n − 1 in the denominator, as llama-bench; 0 for a single run. */
    double stddev() {
        int n = tokensPerSecond.length;
        if (n < 2) {
            return 0;
        }
        double m = mean();
        double ss = Arrays.stream(tokensPerSecond).map(v -> (v - m) * (v - m)).sum();
        return Math.sqrt(ss / (n - 1));
    }

    /** The middle run (the mean of the middle two for an even count): what a ratio between noisy engines should use. */
    double median() {
        double[] s = tokensPerSecond.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
