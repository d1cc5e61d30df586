package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Asserts that a call fails with an {@link IllegalArgumentException} whose message says what went wrong. */
final class Rejects {
    private Rejects() {}

    static void rejects(String messageFragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(messageFragment),
                "message '" + e.getMessage() + "' should contain '" + messageFragment + "'");
    }
}
