package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.kernel.MatrixKernels;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Session#forwardOnCallingThread} on the peer fixture models: the same logits, bit for bit, as the session's
 * threads give for the same prompt (no kernel's arithmetic depends on how rows are split), and a session that took its
 * prompt so goes on decoding with its threads exactly as one that did not.
 */
class CallingThreadForwardTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf", "bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf"})
    void aPromptOnTheCallingThreadGivesTheThreadsResultsAndLeavesTheSameSession(String model) throws IOException {
        int[] prompt = {1, 17, 42, 7};
        try (GgufFile f = GgufFile.open(Fixtures.require("models/" + model))) {
            Model m = Model.load(f, MatrixKernels.defaults());
            SessionOptions two = SessionOptions.defaults().withThreads(2).withNumerics(Numerics.FAST);
            try (Session threads = m.newSession(two); Session alone = m.newSession(two)) {
                assertArrayEquals(threads.forward(prompt).clone(), alone.forwardOnCallingThread(prompt).clone(), "prompt logits");
                for (int token : new int[] {3, 99, 5}) { // the decode after, on the threads in both
                    assertArrayEquals(threads.forward(token).clone(), alone.forward(token).clone(), "decode after token " + token);
                }
            }
        }
    }
}
