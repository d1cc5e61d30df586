package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The read-ahead tuner, fed made-up call times: which distance it settles on, and when. */
class ReadAheadTunerTest {
    private static final int CALLS_TO_SETTLE = (ReadAheadTuner.WARM_UP + ReadAheadTuner.SAMPLES) * ReadAheadTuner.CANDIDATES.length;

    /** Runs calls until the tuner settles (failing if it takes more than it should), timing each with {@code nanos}. */
    private static long settle(ReadAheadTuner tuner, LongUnaryOperator nanos) {
        for (int call = 0; call < CALLS_TO_SETTLE; call++) {
            assertFalse(tuner.settled(), "settled after only " + call + " calls");
            assertEquals(ReadAheadTuner.DEFAULT_DISTANCE, tuner.current(), "the default distance while tuning");
            long d = tuner.next();
            tuner.took(nanos.applyAsLong(d), 1000);
        }
        assertTrue(tuner.settled(), "not settled after " + CALLS_TO_SETTLE + " calls");
        return tuner.current();
    }

    @Test
    void settlesOnTheCandidateWithTheFastestMedian() {
        for (long fastest : ReadAheadTuner.CANDIDATES) {
            ReadAheadTuner tuner = new ReadAheadTuner(-1);
            long chosen = settle(tuner, d -> d == fastest ? 1_000 : 1_500);
            assertEquals(fastest, chosen);
            assertEquals(fastest, tuner.next(), "a settled tuner keeps its distance");
        }
    }

    @Test
    void aFewSlowCallsDoNotHideTheFastestCandidate() {
        long fastest = ReadAheadTuner.CANDIDATES[1];
        int[] callsOfFastest = {0};
        ReadAheadTuner tuner = new ReadAheadTuner(-1);
        long chosen = settle(tuner, d -> {
            if (d != fastest) {
                return 1_500;
            }
            // the machine's other work holds up two of its timed calls badly
            int call = callsOfFastest[0]++ - ReadAheadTuner.WARM_UP;
            return call == 0 || call == 3 ? 50_000 : 1_000;
        });
        assertEquals(fastest, chosen);
    }

    @Test
    void warmUpCallsAreNotCounted() {
        long slowLater = ReadAheadTuner.CANDIDATES[0];
        long fastest = ReadAheadTuner.CANDIDATES[2];
        int[] calls = {0};
        ReadAheadTuner tuner = new ReadAheadTuner(-1);
        long chosen = settle(tuner, d -> {
            boolean warmUp = calls[0]++ < ReadAheadTuner.WARM_UP * ReadAheadTuner.CANDIDATES.length;
            if (d == slowLater) {
                return warmUp ? 10 : 2_000; // very fast while the others still ran uncompiled: not to be trusted
            }
            return warmUp ? 100_000 : d == fastest ? 1_000 : 1_500;
        });
        assertEquals(fastest, chosen);
    }

    @Test
    void everyCandidateIsTriedInTurn() {
        ReadAheadTuner tuner = new ReadAheadTuner(-1);
        for (int call = 0; call < 2 * ReadAheadTuner.CANDIDATES.length; call++) {
            assertEquals(ReadAheadTuner.CANDIDATES[call % ReadAheadTuner.CANDIDATES.length], tuner.next());
            tuner.took(1_000, 1_000);
        }
    }

    @Test
    void aFixedDistanceIsNeverTuned() {
        ReadAheadTuner tuner = new ReadAheadTuner(1024);
        assertTrue(tuner.settled());
        for (int call = 0; call < 2 * CALLS_TO_SETTLE; call++) {
            assertEquals(1024, tuner.next());
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
