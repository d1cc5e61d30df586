package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine on small random models of each architecture, against the plain double-precision
 * {@link ReferenceForward}, and its own consistency: batch vs one token at a time, thread counts, batch
 * sizes, reset and context limits.
 */
class SyntheticModelTest {
    private static final int[] TOKENS = tokens(14, 40, 3);

    @TempDir
    Path dir;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("llama, GQA", TinyModel.random("llama", 4, 2, 8, null, false, 100)),
                Arguments.of("llama, partial RoPE", TinyModel.random("llama", 4, 4, 4, null, false, 200)),
                Arguments.of("bitnet, SiLU", TinyModel.random("bitnet", 4, 2, 8, null, false, 300)),
                Arguments.of("bitnet, relu2 + scales + biases", TinyModel.random("bitnet", 2, 1, 16, "relu2", true, 400)),
                Arguments.of("bitnet-b1.58", TinyModel.random("bitnet-b1.58", 4, 2, 8, null, false, 500)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesThePlainReference(String name, TinyModel m) throws IOException {
        float[] expected = Logits.flatten(ReferenceForward.logits(m, TOKENS));
        double range = Logits.range(expected);
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            Model model = Model.load(f);
            for (KvCacheType kv : KvCacheType.values()) {
                float[] got = run(model, SessionOptions.defaults().withKvCacheType(kv).withThreads(2), TOKENS);
                double tolerance = (kv == KvCacheType.F32 ? 1e-5 : 3e-3) * range;
                assertTrue(Logits.maxAbsDiff(expected, got) <= tolerance,
                        name + " " + kv + " cache: max |Δ| " + Logits.maxAbsDiff(expected, got) + " > " + tolerance);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void batchAndTokenByTokenAgree(String name, TinyModel m) throws IOException {
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            Model model = Model.load(f);
            for (Numerics numerics : Numerics.values()) {
                SessionOptions o = SessionOptions.defaults().withKvCacheType(KvCacheType.F32).withNumerics(numerics);
                float[] batch = run(model, o, TOKENS);
                float[] sequential = new float[batch.length];
                try (Session s = model.newSession(o)) {
                    for (int t = 0; t < TOKENS.length; t++) {
                        System.arraycopy(s.forward(TOKENS[t]), 0, sequential, t * m.vocab(), m.vocab());
                    }
                    assertEquals(TOKENS.length, s.position());
                }
                // the peers sum batches and single tokens in different orders, and so do we
                assertTrue(Logits.maxAbsDiff(batch, sequential) <= 1e-5 * Logits.range(batch), name + " " + numerics);
                float[] lastOnly;
                try (Session s = model.newSession(o)) {
                    lastOnly = s.forward(TOKENS).clone();
                }
                assertTrue(Logits.maxAbsDiff(Logits.lastRow(batch, m.vocab()), lastOnly) <= 1e-5 * Logits.range(batch));
            }
        }
    }

    /**
     * Under fast numerics a prompt's keys are transposed for its scores once it reaches 256 positions (before, the
     * scores go key by key): both give the same floats, so a 300-token prompt gives the same logits as one batch, as
     * batches of 200 and 100 (the first one's scores key by key), and one token at a time.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aLongFastPromptGivesTheSameLogitsHoweverItIsFed(String name, TinyModel small) throws IOException {
        TinyModel m = new TinyModel(small.arch(), small.dim(), small.layers(), small.ff(), small.heads(), small.kvHeads(),
                small.vocab(), 320, small.ropeDims(), small.hiddenAct(), small.extras(), small.weights(), small.dims());
        int[] prompt = tokens(300, m.vocab(), 11);
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            Model model = Model.load(f);
            SessionOptions o = SessionOptions.defaults().withNumerics(Numerics.FAST).withKvCacheType(KvCacheType.F16)
                    .withThreads(2).withContextLength(320);
            float[] whole = run(model, o, prompt);
            assertArrayEquals(whole, run(model, o.withBatchSize(200), prompt), name + ": batches of 200 and 100");
            float[] sequential = new float[whole.length];
            try (Session s = model.newSession(o)) {
                for (int t = 0; t < prompt.length; t++) {
                    System.arraycopy(s.forward(prompt[t]), 0, sequential, t * m.vocab(), m.vocab());
                }
            }
            assertArrayEquals(whole, sequential, name + ": one token at a time");
        }
    }

    /**
     * Under fast numerics the last layer's feed-forward takes a prompt's last few rows, not only the last one (the
     * batch kernels, compiled by then in a cold JVM): the last row's logits are those of a pass that keeps every row.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aFastPromptsLastLogitsDoNotDependOnTheRowsKept(String name, TinyModel m) throws IOException {
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            Model model = Model.load(f);
            SessionOptions o = SessionOptions.defaults().withNumerics(Numerics.FAST).withKvCacheType(KvCacheType.F16).withThreads(2);
            for (int n : new int[] {1, 2, 3, 4, 5, 9}) {
                int[] prompt = tokens(n, m.vocab(), 20 + n);
                float[] last;
                try (Session s = model.newSession(o)) {
                    last = s.forward(prompt).clone();
                }
                assertArrayEquals(Logits.lastRow(run(model, o, prompt), m.vocab()), last, name + ", " + n + " tokens");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void resultsDoNotDependOnThreadsBatchSizeOrReuse(String name, TinyModel m) throws IOException {
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            Model model = Model.load(f);
            SessionOptions base = SessionOptions.defaults().withKvCacheType(KvCacheType.F16);
            float[] one = run(model, base.withThreads(1), TOKENS);
            assertArrayEquals(one, run(model, base.withThreads(2), TOKENS), name + ": 1 vs 2 threads");
            assertArrayEquals(one, run(model, base.withThreads(3), TOKENS), name + ": 1 vs 3 threads");
            int[] longer = tokens(40, 40, 5); // rows enough for the norms to be split over the threads
            float[] oneLonger = run(model, base.withThreads(1), longer);
            assertArrayEquals(oneLonger, run(model, base.withThreads(2), longer), name + ": 40 rows, 1 vs 2 threads");
            assertArrayEquals(oneLonger, run(model, base.withThreads(3), longer), name + ": 40 rows, 1 vs 3 threads");
            // batches of 5: rows of 5, 5 and 4; every product still has 2+ rows, so the same orders apply
            assertArrayEquals(one, run(model, base.withThreads(2).withBatchSize(5), TOKENS), name + ": batches of 5");
            try (Session s = model.newSession(base.withThreads(2))) {
                s.forwardAll(tokens(9, 40, 77));
                s.reset();
                assertEquals(0, s.position());
                assertArrayEquals(one, s.forwardAll(TOKENS), name + ": after reset");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void decodingOneTokenAllocatesNothing(String name, TinyModel m) throws IOException {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")));
                Session s = Model.load(f).newSession(SessionOptions.defaults().withThreads(2).withContextLength(128))) {
            s.forward(tokens(4, m.vocab(), 5)); // the prompt may allocate: it is not the decode loop
            int token = 1;
            // warm up until the JIT has compiled the loop: Vector API code allocates its vectors until it is compiled, and
            // on this tiny model the smallest routines (SiLU over 48 values, scores over a few keys) run only a few times
            // per step, so C2 needs thousands of steps to reach them
            for (int round = 0; round < 200; round++) {
                s.rewind(4);
                for (int i = 0; i < 60; i++) {
                    token = Logits.argmax(s.forward(token), 0, m.vocab());
                }
            }
            s.rewind(4);
            long before = threads.getCurrentThreadAllocatedBytes();
            int steps = 50;
            for (int i = 0; i < steps; i++) {
                token = Logits.argmax(s.forward(token), 0, m.vocab());
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // one object per step would be 16·50 bytes at least; allow the JIT a stray object while it settles
            assertTrue(allocated < 16 * steps, name + ": " + allocated + " bytes allocated by " + steps + " decode steps");
        }
    }

    @Test
    void contextOverflowIsRefusedWithoutSideEffects() throws IOException {
        TinyModel m = TinyModel.random("llama", 4, 2, 8, null, false, 600);
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")));
                Session s = Model.load(f).newSession(SessionOptions.defaults().withContextLength(16))) {
            ContextOverflowException tooLong = assertThrows(ContextOverflowException.class, () -> s.forward(tokens(17, 40, 1)));
            assertTrue(tooLong.getMessage().contains("17 token(s) at position 0") && tooLong.getMessage().contains("holds 16"),
                    tooLong.getMessage());
            assertEquals(0, s.position());
            s.forward(tokens(12, 40, 2));
            ContextOverflowException later = assertThrows(ContextOverflowException.class, () -> s.forward(tokens(5, 40, 3)));
            assertTrue(later.getMessage().contains("position 12") && later.getMessage().contains("reset"), later.getMessage());
            assertEquals(12, s.position());
            s.forward(tokens(4, 40, 4));
            assertEquals(16, s.position());
        }
    }

    @Test
    void badTokensAndOptionsAreRefused() throws IOException {
        TinyModel m = TinyModel.random("bitnet", 4, 2, 8, null, false, 700);
        try (GgufFile f = GgufFile.open(m.write(dir.resolve("m.gguf")))) {
            Model model = Model.load(f);
            try (Session s = model.newSession()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.forward(new int[] {1, 40}));
                assertTrue(e.getMessage().contains("id 40") && e.getMessage().contains("0..39"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> s.forward(new int[0]));
                assertThrows(IllegalArgumentException.class, () -> s.forward(-1));
                assertEquals(0, s.position());
                assertEquals(m.context(), s.contextLength());
            }
            assertThrows(IllegalArgumentException.class, () -> SessionOptions.defaults().withBatchSize(0));
            assertThrows(IllegalArgumentException.class, () -> SessionOptions.defaults().withThreads(-1));
        }
    }

    private static float[] run(Model model, SessionOptions o, int[] tokens) {
        try (Session s = model.newSession(o)) {
            return s.forwardAll(tokens);
        }
    }

    private static int[] tokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }
}
