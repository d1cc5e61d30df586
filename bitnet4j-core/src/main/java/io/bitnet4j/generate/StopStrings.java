package io.bitnet4j.generate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds stop strings in streamed text. Text that could be the beginning of a stop string is held back
 * until the stream shows it is not, so nothing is ever emitted and then taken back; when a stop string
 * appears, the text before it is emitted and the stop string and everything after it are dropped.
 *
 * <p>Generation stops as soon as a stop string is complete, as in llama.cpp (if several complete in the
 * same chunk, the one that starts first). So with overlapping stop strings such as {@code "\nb"} and
 * {@code "\n\nbb"} the result can depend on how the text was chunked; it never contains a stop string.
 *
 * <pre>{@code
 * StopStrings stops = new StopStrings(List.of("\nUser:"));
 * for (each decoded chunk) {
 *     StopStrings.Step step = stops.push(chunk);
 *     print(step.emit());
 *     if (step.stopped()) break;
 * }
 * print(stops.flush());   // at the end of generation, what was held back
 * }</pre>
 */
public final class StopStrings {
    /**
     * What {@link #push} lets through.
     *
     * @param emit text that can be shown now
     * @param stopped a stop string was found; {@code emit} is the text before it
     */
    public record Step(String emit, boolean stopped) {}

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    /** Stops at any of {@code stops}; none may be empty. An empty collection never stops. */
    public StopStrings(Collection<String> stops) {
        List<String> copy = new ArrayList<>();
        for (String s : stops) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty (got " + (s == null ? "null" : "\"\"") + ")");
            }
            copy.add(s);
        }
        this.stops = List.copyOf(copy);
    }

    /** Takes the next chunk of generated text. After a stop, everything is dropped. */
    public Step push(String chunk) {
        if (stopped) {
            return new Step("", true);
        }
        held.append(chunk);
        int stopAt = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                stopAt = at;
            }
        }
        if (stopAt >= 0) {
            stopped = true;
            String before = held.substring(0, stopAt);
            held.setLength(0);
            return new Step(before, true);
        }
        int keep = longestSuffixThatStartsAStop();
        String emit = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Step(emit, false);
    }

    /** Ends the stream: the held-back text (empty after a stop). */
    public String flush() {
        String rest = held.toString();
        held.setLength(0);
        return rest;
    }

    public boolean stopped() {
        return stopped;
    }

    /** The length of the longest suffix of the held text that is a proper prefix of some stop string. */
    private int longestSuffixThatStartsAStop() {
        String text = held.toString();
        int best = 0;
        for (String s : stops) {
            for (int len = Math.min(s.length() - 1, text.length()); len > best; len--) {
                if (s.regionMatches(0, text, text.length() - len, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }
}
