package io.bitnet4j.generate;

import io.bitnet4j.tokenizer.Utf8StreamDecoder;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generated token pieces → whole UTF-8 characters → text with stop strings held back and cut, streamed to a
 * callback and collected. What a {@link Generator} and a server that samples tokens itself both need, so the text
 * of a generation is the same whoever ran it.
 */
public final class TextStream {
    private final Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
    private final StopStrings stops;
    private final Consumer<String> onText;
    private final StringBuilder text = new StringBuilder();

    /** Stops at any of {@code stopStrings} (none empty); streams each chunk to {@code onText} (may be null). */
    public TextStream(List<String> stopStrings, Consumer<String> onText) {
        this.stops = new StopStrings(stopStrings);
        this.onText = onText;
    }

    /** Takes a token's bytes; returns whether a stop string has appeared. */
    public boolean add(byte[] piece) {
        return push(utf8.decode(piece));
    }

    /** Ends the stream: emits what the UTF-8 decoder and the stop strings held back, unless a stop string cut it. */
    public void finish() {
        if (!stops.stopped() && !push(utf8.flush())) {
            emit(stops.flush());
        }
    }

    /** All text emitted so far. */
    public String text() {
        return text.toString();
    }

    private boolean push(String chunk) {
        if (chunk.isEmpty()) {
            return false;
        }
        StopStrings.Step step = stops.push(chunk);
        emit(step.emit());
        return step.stopped();
    }

    private void emit(String chunk) {
        if (!chunk.isEmpty()) {
            text.append(chunk);
            if (onText != null) {
                onText.accept(chunk);
            }
        }
    }
}
