package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batch invariance: every slot of a {@link SequenceBatch}, decoded in steps shared with a changing set of other
 * slots, gets exactly (to the bit) the logits the same sequence gets alone in a {@link Session} with the same
 * options, one token at a time after its prompt.
 *
 * <p>{@link Numerics#FAST} is among the cases since its vector kernels sum lanes in a fixed order
 * ({@code LaneSums}); with {@code reduceLanes(ADD)} the interpreted and compiled forms differed in the last bit.
 */
class SequenceBatchTest {
    private static final int SLOTS = 5;
    private static final int STEPS = 12;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf, LLAMA_CPP, F32",
        "bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf, LLAMA_CPP, F16",
        "bitnet-silu-tiny/bitnet-silu-tiny-tq1_0.gguf, BITNET_CPP, F32",
        "bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf, LLAMA_CPP, F32",
        "bitnet-i2s-tiny/bitnet-tiny-silu-i2s.gguf, LLAMA_CPP, F16",
        "bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf, BITNET_CPP, F16",
        "stories260K/stories260K.gguf, LLAMA_CPP, F16",
        "bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf, FAST, F16",
        "bitnet-silu-tiny/bitnet-silu-tiny-tq1_0.gguf, FAST, F32",
        "bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf, FAST, F16",
        "stories260K/stories260K.gguf, FAST, F16",
    })
    void eachSlotGetsTheLogitsOfTheSameSequenceDecodedAlone(String model, Numerics numerics, KvCacheType kv) throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require("models/" + model))) {
            Model m = Model.load(f);
            SessionOptions o = SessionOptions.defaults().withNumerics(numerics).withKvCacheType(kv).withThreads(2).withBatchSize(7)
                    .withContextLength(64);
            int vocab = m.config().vocabSize();
            SplittableRandom random = new SplittableRandom(model.hashCode() * 31L + numerics.ordinal());
            int[][] prompts = new int[SLOTS][];
            int[][] fed = new int[SLOTS][STEPS];
            for (int s = 0; s < SLOTS; s++) {
                prompts[s] = random.ints(1 + random.nextInt(15), 0, vocab).toArray(); // some longer than a prefill batch
                fed[s] = random.ints(STEPS, 0, vocab).toArray();
            }
            List<List<float[]>> batched = decodeInBatch(m, o, prompts, fed, random);
            for (int s = 0; s < SLOTS; s++) {
                List<float[]> alone = decodeAlone(m, o, prompts[s], fed[s], batched.get(s).size() - 1);
                for (int i = 0; i < alone.size(); i++) {
                    assertArrayEquals(alone.get(i), batched.get(s).get(i), model + " slot " + s + " logits " + i);
                }
            }
        }
    }

    /**
     * Prefills every slot, then steps: in each step a random non-empty subset of the slots runs its next token.
     * Returns each slot's logits after its prompt and after each of its steps.
     */
    private static List<List<float[]>> decodeInBatch(Model m, SessionOptions o, int[][] prompts, int[][] fed, SplittableRandom random) {
        List<List<float[]>> out = new ArrayList<>();
        try (SequenceBatch batch = m.newBatch(o, SLOTS)) {
            int[] done = new int[SLOTS];
            for (int s = 0; s < SLOTS; s++) {
                out.add(new ArrayList<>(List.of(batch.prefill(s, prompts[s]).clone())));
            }
            int[] slots = new int[SLOTS];
            int[] tokens = new int[SLOTS];
            for (int round = 0; round < 2 * STEPS; round++) {
                int count = 0;
                for (int s = 0; s < SLOTS; s++) {
                    if (done[s] < STEPS && (round >= STEPS || random.nextBoolean())) {
                        slots[count] = s;
                        tokens[count++] = fed[s][done[s]++];
                    }
                }
                if (count == 0) {
                    continue;
                }
                batch.step(count, slots, tokens);
                for (int i = 0; i < count; i++) {
                    out.get(slots[i]).add(batch.logits(slots[i]).clone());
                    assertEquals(prompts[slots[i]].length + done[slots[i]], batch.position(slots[i]));
                }
            }
        }
        return out;
    }

    private static List<float[]> decodeAlone(Model m, SessionOptions o, int[] prompt, int[] fed, int steps) {
        List<float[]> out = new ArrayList<>();
        try (Session s = m.newSession(o)) {
            out.add(s.forward(prompt).clone());
            for (int i = 0; i < steps; i++) {
                out.add(s.forward(fed[i]).clone());
            }
        }
        return out;
    }

    @Test
    void badStepsAreRejectedAndChangeNothing() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require("models/stories260K/stories260K.gguf"));
                SequenceBatch batch = Model.load(f).newBatch(SessionOptions.defaults().withThreads(1).withContextLength(4), 2)) {
            batch.prefill(0, new int[] {1, 2, 3});
            assertThrows(IllegalArgumentException.class, () -> batch.step(2, new int[] {0, 0}, new int[] {1, 1}), "slot twice");
            assertThrows(IllegalArgumentException.class, () -> batch.step(1, new int[] {2}, new int[] {1}), "slot outside");
            assertThrows(IllegalArgumentException.class, () -> batch.step(1, new int[] {0}, new int[] {-1}), "bad token");
            assertThrows(IllegalArgumentException.class, () -> batch.step(3, new int[] {0, 1}, new int[] {1, 1}), "count");
            assertThrows(IllegalArgumentException.class, () -> batch.prefill(1, new int[0]), "empty prompt");
            assertThrows(ContextOverflowException.class, () -> batch.prefill(1, new int[] {1, 2, 3, 4, 5}), "too long");
            assertEquals(3, batch.position(0));
            assertEquals(0, batch.position(1));
            batch.step(1, new int[] {0}, new int[] {4});
            assertThrows(ContextOverflowException.class, () -> batch.step(1, new int[] {0}, new int[] {4}), "context full");
            assertEquals(4, batch.position(0));
            batch.reset(0);
            assertEquals(0, batch.position(0));
            assertThrows(IllegalArgumentException.class, () -> Model.load(f).newBatch(SessionOptions.defaults(), 0));
        }
    }
}
