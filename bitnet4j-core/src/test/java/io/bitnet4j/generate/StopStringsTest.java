package io.bitnet4j.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Stop strings across chunk boundaries, hold-back and release, against a plain search over the whole text. */
class StopStringsTest {

    @Test
    void aStopStringSplitAcrossChunksIsNeverEmitted() {
        StopStrings stops = new StopStrings(List.of("\nUser:"));
        StringBuilder out = new StringBuilder();
        boolean stopped = false;
        for (char c : "Hello there\nUser: more".toCharArray()) {
            StopStrings.Step step = stops.push(String.valueOf(c));
            assertFalse(step.emit().contains("\n"), "a newline could start the stop string: it is held back");
            out.append(step.emit());
            if (step.stopped()) {
                stopped = true;
                break;
            }
        }
        assertTrue(stopped);
        assertEquals("Hello there", out.toString());
        assertEquals(new StopStrings.Step("", true), stops.push("x"));
        assertEquals("", stops.flush());
    }

    @Test
    void heldTextIsReleasedWhenItTurnsOutNotToBeAStop() {
        StopStrings stops = new StopStrings(List.of("abc"));
        assertEquals(new StopStrings.Step("x", false), stops.push("xab"));
        assertEquals(new StopStrings.Step("abx", false), stops.push("x"));
        assertEquals(new StopStrings.Step("", false), stops.push("a"));
        assertEquals("a", stops.flush(), "at the end of generation the held text is output");
    }

    @Test
    void theEarliestStopWins() {
        StopStrings stops = new StopStrings(List.of("world", "lo w"));
        assertEquals(new StopStrings.Step("hel", true), stops.push("hello world"));
    }

    @Test
    void randomStreamsMatchASearchOverTheWholeText() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int trial = 0; trial < 2000; trial++) {
            String text = randomText(rnd, rnd.nextInt(30));
            List<String> stopList = new ArrayList<>();
            for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                stopList.add(randomText(rnd, 1 + rnd.nextInt(4)));
            }
            List<Integer> chunks = new ArrayList<>();
            for (int left = text.length(); left > 0; ) {
                int n = Math.min(left, 1 + rnd.nextInt(4));
                chunks.add(n);
                left -= n;
            }
            // reference: after each chunk, the earliest occurrence of any stop in the text so far
            int cut = -1;
            for (int i = 0, end = 0; i < chunks.size() && cut < 0; i++) {
                end += chunks.get(i);
                for (String stop : stopList) {
                    int at = text.substring(0, end).indexOf(stop);
                    if (at >= 0 && (cut < 0 || at < cut)) {
                        cut = at;
                    }
                }
            }
            String expected = cut >= 0 ? text.substring(0, cut) : text;
            StopStrings stops = new StopStrings(stopList);
            StringBuilder out = new StringBuilder();
            boolean stopped = false;
            for (int i = 0, at = 0; i < chunks.size() && !stopped; at += chunks.get(i), i++) {
                StopStrings.Step step = stops.push(text.substring(at, at + chunks.get(i)));
                out.append(step.emit());
                assertTrue(expected.startsWith(out.toString()), "emitted text must never need retracting: " + stopList + " " + text);
                stopped = step.stopped();
            }
            out.append(stops.flush());
            assertEquals(expected, out.toString(), stopList + " in " + text);
            assertEquals(cut >= 0, stopped);
        }
    }

    private static String randomText(SplittableRandom rnd, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("ab\n".charAt(rnd.nextInt(3)));
        }
        return b.toString();
    }

    @Test
    void emptyStopsAreRejectedAndNoStopsNeverStop() {
        assertThrows(IllegalArgumentException.class, () -> new StopStrings(List.of("a", "")));
        StopStrings none = new StopStrings(List.of());
        assertEquals(new StopStrings.Step("anything", false), none.push("anything"));
    }
}
