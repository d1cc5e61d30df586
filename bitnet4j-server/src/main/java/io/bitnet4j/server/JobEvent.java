package io.bitnet4j.server;

import io.bitnet4j.generate.FinishReason;

/** What a running generation reports to the request that asked for it, in order. */
sealed interface JobEvent {
    /** The next piece of text (whole characters, never part of a stop string). */
    record Text(String text) implements JobEvent {}

    /** The generation ended; the last event. */
    record Finished(FinishReason reason, int promptTokens, int completionTokens) implements JobEvent {}

    /** The generation failed; the last event. */
    record Failed(ApiError error) implements JobEvent {}
}
