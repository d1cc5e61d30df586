package io.bitnet4j.kernel;

import java.util.Arrays;

/**
 * Chooses the {@link ReadAhead} distance of one kind of kernel on the machine it runs on, by timing that kernel's
 * own one-token products. The best distance is a property of the CPU and its memory, not of the kernel: the F16 head
 * ({@code MatVecCpuTime F16 128256x2560}, GB/s per CPU second) read 16 → 24 with 2048 bytes of read-ahead against none on
 * an AMD Zen 5, but 22.5 → 12.1 on an AMD Zen 4 and 10.1 → 8.0 on an Intel Xeon, while the lookup-table kernel
 * wanted 2048 on all three. No one setting serves every machine, so each {@link MatMul} keeps one tuner per matrix
 * class.
 *
 * <p>The tuner hands the {@link #CANDIDATES} out in turn, one per call; the first {@link #WARM_UP} rounds are not
 * counted (the JIT is still compiling the kernel), then each candidate's time per weight is sampled {@link #SAMPLES}
 * times and the candidate with the lowest median is kept for good. The products are the same whatever the distance
 * (a touch only feeds a sink), so tuning changes speed, never a result. A distance set with {@value
 * #PROPERTY} turns the tuning off.
 *
 * <p>Not thread-safe: one tuner serves the one thread that calls its {@link MatMul}.
 */
final class ReadAheadTuner {
    // The settings live here, not in ReadAhead, which needs the Vector API module: every multiplier has a tuner,
    // also on JVMs started without the module.
    /** The system property giving the read-ahead distance in bytes (0 turns it off), or {@code auto} (the default). */
    static final String PROPERTY = "bitnet4j.kernels.readahead";
    /** The distance while a tuner has not yet chosen, and where no tuner runs (bytes, a multiple of 64). */
    static final long DEFAULT_DISTANCE = 2048;

    /** The distances tried, in bytes. */
    static final long[] CANDIDATES = {0, 512, 2048};
    /** Rounds (one call per candidate each) run before any is timed. */
    static final int WARM_UP = 1;
    /** Timed calls per candidate. */
    static final int SAMPLES = 5;

    /** A distance setting's bytes (rounded down to a whole cache line), or -1 for {@code auto}. */
    static long fixedDistance(String value) {
        if (value.trim().equalsIgnoreCase("auto")) {
            return -1;
        }
        long d;
        try {
            d = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be 'auto' or a byte count, not '" + value + "'");
        }
        if (d < 0 || d > (1 << 20)) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be between 0 and 1048576 bytes, not " + d);
        }
        return d & ~63L;
    }

    private final double[][] nanosPerWeight = new double[CANDIDATES.length][SAMPLES];
    private int calls;
    private int pending = -1;
    private long chosen;

    /** A tuner that tries the candidates, or one fixed at {@code fixed} bytes if that is not negative. */
    ReadAheadTuner(long fixed) {
        this.chosen = fixed;
    }

    /** A tuner as {@value #PROPERTY} says: tuning unless a distance is set. */
    static ReadAheadTuner fromSettings() {
        // read each time (a tuner is made once per matrix class and multiplier), so that a bad value fails here,
        // with its message, and not in a class initializer
        return new ReadAheadTuner(fixedDistance(System.getProperty(PROPERTY, "auto")));
    }

    /** The distance a kernel starts with before any tuner has run: the fixed setting, else {@link #DEFAULT_DISTANCE}. */
    static long initialDistance() {
        long fixed = fixedDistance(System.getProperty(PROPERTY, "auto"));
        return fixed >= 0 ? fixed : DEFAULT_DISTANCE;
    }

    /** Whether the distance is settled (chosen, or fixed from the start). */
    boolean settled() {
        return chosen >= 0;
    }

    /** The distance settled on, or {@link #DEFAULT_DISTANCE} while still tuning. */
    long current() {
        return settled() ? chosen : DEFAULT_DISTANCE;
    }

    /** The distance for a call to be timed and reported with {@link #took}; {@link #current()} once settled. */
    long next() {
        if (settled()) {
            return chosen;
        }
        pending = calls % CANDIDATES.length;
        return CANDIDATES[pending];
    }

    /** Reports the time of the call {@link #next} gave its distance to, which multiplied {@code weights} weights. */
    void took(long nanos, long weights) {
        if (pending < 0) {
            return;
        }
        int round = calls / CANDIDATES.length - WARM_UP;
        if (round >= 0) {
            nanosPerWeight[pending][round] = (double) nanos / Math.max(1, weights);
        }
        pending = -1;
        calls++;
        if (round == SAMPLES - 1 && calls % CANDIDATES.length == 0) {
            chosen = CANDIDATES[fastest()];
        }
    }

    private int fastest() {
        int best = 0;
        double bestMedian = Double.MAX_VALUE;
        for (int i = 0; i < CANDIDATES.length; i++) {
            double[] s = nanosPerWeight[i].clone();
            Arrays.sort(s);
            if (s[SAMPLES / 2] < bestMedian) {
                bestMedian = s[SAMPLES / 2];
                best = i;
            }
        }
        return best;
    }
}
