package io.bitnet4j.kernel;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Chooses the {@link ReadAhead} distance of one kind of kernel on the machine it runs on, by timing that kernel's
 * own one-token products. The best distance is a property of the CPU and its memory, not of the kernel: the F16 head
 * ({@code MatVecCpuTime F16 128256x2560}, GB/s per CPU second) read 16 → 24 with 2048 bytes of read-ahead against none on
 * an AMD Zen 5, but 22.5 → 12.1 on an AMD Zen 4 and 10.1 → 8.0 on an Intel Xeon, while the lookup-table kernel
 * wanted 2048 on all three. No one setting serves every machine, so each {@link MatMul} keeps one tuner per matrix
 * class.
 *
 * <p>For its first {@link #WARM_UP_NANOS} (and at least {@link #WARM_UP} calls) the tuner only watches: the JIT is
 * still compiling the kernels, and calls run at {@link #DEFAULT_DISTANCE}. Then it hands the {@link #CANDIDATES} out
 * in turn, counted apart for each size of call (a layer's products differ in shape, and a small matrix costs more per
 * weight: rotating one counter over four shapes gave each candidate a different mix of them, and on a Zen 5 the
 * ternary kernel settled on 0 or 512 bytes and decoded 25-35 % slower at one thread). Each candidate's time per weight
 * is sampled {@link #SAMPLES} times per size; when one size has all its samples, the candidate with the lowest sum over
 * the sampled sizes of its median time per weight times the size is kept for good. The products are the same whatever
 * the distance (a touch only feeds a sink), so tuning changes speed, never a result. A distance set with {@value
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
    /** Calls run at the default distance, untimed, before any candidate is tried (also {@link #WARM_UP_NANOS}). */
    static final int WARM_UP = 3;
    /** Time from the first call during which calls are not timed: a cold start's JIT compiles in about this. */
    static final long WARM_UP_NANOS = 1_000_000_000L;
    /** Timed calls per candidate and size of call. */
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

    /** One size of call's samples: each candidate's times per weight, and how many of its calls were timed. */
    private static final class SizeSamples {
        final double[][] nanosPerWeight = new double[CANDIDATES.length][SAMPLES];
        int timed;

        boolean complete() {
            return timed == SAMPLES * CANDIDATES.length;
        }
    }

    /** By size of call (weights multiplied). */
    private final Map<Long, SizeSamples> sizes = new HashMap<>();
    private final LongSupplier clock;
    private long firstCall = Long.MIN_VALUE;
    private int warmUpCalls;
    private int pending = -1;
    private long chosen;

    /** A tuner that tries the candidates, or one fixed at {@code fixed} bytes if that is not negative. */
    ReadAheadTuner(long fixed) {
        this(fixed, System::nanoTime);
    }

    /** The same with the clock that times the warm-up (tests pass their own). */
    ReadAheadTuner(long fixed, LongSupplier clock) {
        this.chosen = fixed;
        this.clock = clock;
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

    /**
     * The distance for a call of {@code weights} weights, to be reported with {@link #took}; {@link #current()} once
     * settled or while warming up.
     */
    long next(long weights) {
        pending = -1;
        if (settled()) {
            return chosen;
        }
        long now = clock.getAsLong();
        if (firstCall == Long.MIN_VALUE) {
            firstCall = now;
        }
        if (warmUpCalls < WARM_UP || now - firstCall < WARM_UP_NANOS) {
            warmUpCalls++;
            return DEFAULT_DISTANCE;
        }
        pending = sizes.computeIfAbsent(weights, w -> new SizeSamples()).timed % CANDIDATES.length;
        return CANDIDATES[pending];
    }

    /** Reports the time of the call {@link #next} gave its distance to, which multiplied {@code weights} weights. */
    void took(long nanos, long weights) {
        if (pending < 0) {
            return;
        }
        SizeSamples size = sizes.get(weights);
        size.nanosPerWeight[pending][size.timed / CANDIDATES.length] = (double) nanos / Math.max(1, weights);
        size.timed++;
        pending = -1;
        if (size.complete()) {
            chosen = CANDIDATES[fastest()];
        }
    }

    /** The candidate whose medians, times each sampled size, sum to the least (over the sizes with all their samples). */
    private int fastest() {
        double[] total = new double[CANDIDATES.length];
        sizes.forEach((weights, size) -> {
            if (!size.complete()) {
                return; // this size is still being sampled
            }
            for (int i = 0; i < CANDIDATES.length; i++) {
                double[] sorted = size.nanosPerWeight[i].clone();
                Arrays.sort(sorted);
                total[i] += sorted[SAMPLES / 2] * weights;
            }
        });
        int best = 0;
        for (int i = 1; i < CANDIDATES.length; i++) {
            if (total[i] < total[best]) {
                best = i;
            }
        }
        return best;
    }
}
