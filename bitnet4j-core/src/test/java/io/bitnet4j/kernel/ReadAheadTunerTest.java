package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The read-ahead tuner, fed made-up call times and a made-up clock: which distance it settles on, and when. */
class ReadAheadTunerTest {
    private static final int TIMED_CALLS = ReadAheadTuner.SAMPLES * ReadAheadTuner.CANDIDATES.length;

    /** A clock that moves only when told. */
    private static final class Clock {
        long now = 5_000;
    }

    /** A tuner whose warm-up is over: its first calls ran past {@link ReadAheadTuner#WARM_UP_NANOS}. */
    private static ReadAheadTuner warmedUp() {
        Clock clock = new Clock();
        ReadAheadTuner tuner = new ReadAheadTuner(-1, () -> clock.now);
        for (int call = 0; call < ReadAheadTuner.WARM_UP; call++) {
            assertEquals(ReadAheadTuner.DEFAULT_DISTANCE, tuner.next(1000), "warm-up calls run at the default distance");
            tuner.took(1, 1000); // not counted
            clock.now += ReadAheadTuner.WARM_UP_NANOS;
        }
        return tuner;
    }

    /** Runs calls of {@code weights} weights until the tuner settles (failing if it takes more than it should). */
    private static long settle(ReadAheadTuner tuner, long weights, LongUnaryOperator nanosPerWeight) {
        for (int call = 0; call < TIMED_CALLS; call++) {
            assertFalse(tuner.settled(), "settled after only " + call + " timed calls");
            assertEquals(ReadAheadTuner.DEFAULT_DISTANCE, tuner.current(), "the default distance while tuning");
            long d = tuner.next(weights);
            tuner.took(nanosPerWeight.applyAsLong(d) * weights, weights);
        }
        assertTrue(tuner.settled(), "not settled after " + TIMED_CALLS + " timed calls");
        return tuner.current();
    }

    @Test
    void settlesOnTheCandidateWithTheFastestMedian() {
        for (long fastest : ReadAheadTuner.CANDIDATES) {
            ReadAheadTuner tuner = warmedUp();
            long chosen = settle(tuner, 1000, d -> d == fastest ? 1_000 : 1_500);
            assertEquals(fastest, chosen);
            assertEquals(fastest, tuner.next(1000), "a settled tuner keeps its distance");
            assertEquals(fastest, tuner.next(7), "for calls of every size");
        }
    }

    @Test
    void aFewSlowCallsDoNotHideTheFastestCandidate() {
        long fastest = ReadAheadTuner.CANDIDATES[1];
        int[] callsOfFastest = {0};
        long chosen = settle(warmedUp(), 1000, d -> {
            if (d != fastest) {
                return 1_500;
            }
            // the machine's other work holds up two of its timed calls badly
            int call = callsOfFastest[0]++;
            return call == 0 || call == 3 ? 50_000 : 1_000;
        });
        assertEquals(fastest, chosen);
    }

    @Test
    void theWarmUpLastsItsTimeAndIsNotCounted() {
        Clock clock = new Clock();
        ReadAheadTuner tuner = new ReadAheadTuner(-1, () -> clock.now);
        for (int call = 0; call < 10 * TIMED_CALLS; call++) { // many calls, but all within the warm-up's time
            assertEquals(ReadAheadTuner.DEFAULT_DISTANCE, tuner.next(1000));
            tuner.took(call % 2 == 0 ? 1 : 10_000_000, 1000); // wild times while the JIT compiles: ignored
            clock.now += ReadAheadTuner.WARM_UP_NANOS / (20L * TIMED_CALLS);
        }
        assertFalse(tuner.settled(), "settled during the warm-up");
        clock.now += ReadAheadTuner.WARM_UP_NANOS;
        long fastest = ReadAheadTuner.CANDIDATES[2];
        assertEquals(fastest, settle(tuner, 1000, d -> d == fastest ? 1_000 : 1_500));
    }

    @Test
    void everyCandidateIsTriedInTurnForEachSizeOfCall() {
        ReadAheadTuner tuner = warmedUp();
        int n = ReadAheadTuner.CANDIDATES.length;
        for (int call = 0; call < 2 * n; call++) { // two sizes alternating: each has its own turns
            assertEquals(ReadAheadTuner.CANDIDATES[call % n], tuner.next(100));
            tuner.took(1_000, 100);
            assertEquals(ReadAheadTuner.CANDIDATES[call % n], tuner.next(200));
            tuner.took(1_000, 200);
        }
    }

    /**
     * A layer's four products in turn, the small one costing twice as much per weight: one rotation over all calls
     * would give the candidates different mixes of sizes. Counted per size, the candidate that is faster on every
     * size wins.
     */
    @Test
    void sizesAreComparedWithThemselves() {
        long fastest = ReadAheadTuner.CANDIDATES[2];
        ReadAheadTuner tuner = warmedUp();
        long[] layer = {20_000, 5_000, 40_000, 20_000};
        for (int call = 0; !tuner.settled(); call++) {
            assertTrue(call < 4 * TIMED_CALLS, "not settled after " + call + " calls");
            long w = layer[call % layer.length];
            long d = tuner.next(w);
            long perWeight = (w == 5_000 ? 2_000 : 1_000) * (d == fastest ? 9 : 10);
            tuner.took(perWeight * w, w);
        }
        assertEquals(fastest, tuner.current());
    }

    @Test
    void aFixedDistanceIsNeverTuned() {
        ReadAheadTuner tuner = new ReadAheadTuner(1024);
        assertTrue(tuner.settled());
        for (int call = 0; call < 2 * TIMED_CALLS; call++) {
            assertEquals(1024, tuner.next(1000));
            tuner.took(call % 3 == 0 ? 1 : 1_000_000, 1000);
        }
        assertEquals(1024, tuner.current());
    }

    @Test
    void theDistanceSettingIsCheckedAndRoundedToCacheLines() {
        assertEquals(-1, ReadAheadTuner.fixedDistance("auto"));
        assertEquals(-1, ReadAheadTuner.fixedDistance(" AUTO"));
        assertEquals(2048, ReadAheadTuner.fixedDistance("2048"));
        assertEquals(1088, ReadAheadTuner.fixedDistance(" 1100 ")); // down to a multiple of 64
        assertEquals(0, ReadAheadTuner.fixedDistance("0"));
        assertThrows(IllegalArgumentException.class, () -> ReadAheadTuner.fixedDistance("-64"));
        assertThrows(IllegalArgumentException.class, () -> ReadAheadTuner.fixedDistance("lots"));
        assertThrows(IllegalArgumentException.class, () -> ReadAheadTuner.fixedDistance(String.valueOf(1 << 21)));
    }
}
