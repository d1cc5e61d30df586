package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.kernel.WorkerPool;
import io.bitnet4j.quant.ste.LambdaSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short seeded runs of a small model on a synthetic token stream: the loss falls, runs repeat bit for bit, resume is exact. */
class TrainerTest {
    static final ModelShape SHAPE = new ModelShape(24, 32, 2, 4, 2, 48, 16, 10000f, 1e-5f, GateActivation.SILU);

    @TempDir
    Path dir;

    /** A learnable stream: a fixed pseudo-random walk over 24 tokens where each token mostly decides the next. */
    static TokenData data() {
        int[] tokens = new int[6000];
        long s = 12345;
        for (int i = 1; i < tokens.length; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            tokens[i] = (int) ((s >>> 60) == 0 ? (s >>> 33) % 24 : (tokens[i - 1] * 7 + 3) % 24);
        }
        return new TokenData(java.util.Arrays.copyOf(tokens, 5000), java.util.Arrays.copyOfRange(tokens, 5000, 6000));
    }

    static TrainOptions options(TrainMode mode, long steps, LambdaSchedule lambda) {
        return new TrainOptions(mode, steps, 4, new Schedule(Schedule.Kind.COSINE, 1e-2f, 0.1f, 5, steps, 0.05f), lambda, 1.0, 42, 0, 2, 0);
    }

    static TrainState train(TrainOptions o, int threads) throws IOException {
        TrainState state = TrainState.initial(SHAPE, o.seed());
        try (WorkerPool pool = new WorkerPool(threads)) {
            new Trainer(o, data(), pool).run(state, new Trainer.Listener() {});
        }
        return state;
    }

    @Test
    void qatLossFalls() throws IOException {
        TrainOptions o = options(TrainMode.QAT, 40, LambdaSchedule.none());
        TrainState state = train(o, 2);
        List<TrainState.Point> h = state.history();
        double first = (h.get(0).trainLoss() + h.get(1).trainLoss() + h.get(2).trainLoss()) / 3;
        double last = (h.get(37).trainLoss() + h.get(38).trainLoss() + h.get(39).trainLoss()) / 3;
        assertTrue(last < first - 0.8, "loss went from " + first + " to " + last);
        try (WorkerPool pool = new WorkerPool(1)) {
            double val = new Trainer(o, data(), pool).validationLoss(state, 0);
            assertTrue(val < Math.log(SHAPE.vocab()) - 0.5, "validation loss " + val + " vs uniform " + Math.log(SHAPE.vocab()));
        }
    }

    @Test
    void sameSeedSameWeightsWithAnyThreadCount() throws IOException {
        TrainOptions o = options(TrainMode.QAT, 6, LambdaSchedule.linear(4));
        assertArrayEquals(train(o, 1).params(), train(o, 2).params());
        assertArrayEquals(train(o, 2).params(), train(o, 3).params());
    }

    @Test
    void resumeFromACheckpointEqualsAnUninterruptedRun() throws IOException {
        TrainOptions full = options(TrainMode.QAT, 8, LambdaSchedule.linear(6));
        TrainState uninterrupted = train(full, 2);
        // Stop after 3 steps (same options, so the same schedule), save, load, and finish.
        TrainState first = TrainState.initial(SHAPE, full.seed());
        Path file = dir.resolve("ckpt.bin");
        try (WorkerPool pool = new WorkerPool(2)) {
            TrainOptions stopEarly = new TrainOptions(full.mode(), 3, full.seqs(), full.schedule(), full.lambda(), full.clipNorm(), full.seed(),
                    0, 2, 0);
            new Trainer(stopEarly, data(), pool).run(first, new Trainer.Listener() {});
            Checkpoint.save(first, file);
            TrainState resumed = Checkpoint.load(file);
            assertEquals(3, resumed.step());
            new Trainer(full, data(), pool).run(resumed, new Trainer.Listener() {});
            assertArrayEquals(uninterrupted.params(), resumed.params());
            assertArrayEquals(uninterrupted.adam().secondMoment(), resumed.adam().secondMoment());
            assertEquals(uninterrupted.history(), resumed.history());
        }
    }

    @Test
    void floatTrainingDoesNotQuantizeAndPtqDoes() throws IOException {
        TrainOptions o = options(TrainMode.FLOAT, 10, LambdaSchedule.none());
        TrainState state = train(o, 2);
        try (WorkerPool pool = new WorkerPool(2)) {
            Trainer t = new Trainer(o, data(), pool);
            double fl = t.evaluate(state.layout(), state.params(), Quantization.OFF, 0);
            double ptq = t.evaluate(state.layout(), state.params(), Quantization.FULL, 0);
            assertEquals(fl, t.validationLoss(state, 0));
            assertTrue(fl != ptq, "PTQ must change the model");
        }
    }
}
