package io.bitnet4j.model;

import io.bitnet4j.kernel.Activations;
import io.bitnet4j.kernel.MatMul;
import io.bitnet4j.kernel.WeightMatrix;
import io.bitnet4j.kernel.WorkerPool;
import java.util.SplittableRandom;

/**
 * Where one decode step's time goes, by layer type: the weight products of one token replayed outside the forward
 * pass, as it calls them (Q, K and V over one input, then O; gate and up over one input, then down; the head), each
 * group timed on its own over many steps. Attention, norms, RoPE and the rest are the decode step's time minus these.
 * On one thread the times are the thread's CPU time, which a machine shared with other work leaves almost unchanged.
 */
final class DecodeProfile {
    /** Seconds per token of each group: attention projections, feed-forward, head. */
    record Split(double attentionProjections, double feedForward, double head) {
        double products() {
            return attentionProjections + feedForward + head;
        }
    }

    private final Model model;
    private final Numerics numerics;

    DecodeProfile(Model model, Numerics numerics) {
        this.model = model;
        this.numerics = numerics;
    }

    /**
     * The mean seconds per token of each group over {@code steps} steps on {@code threads} threads, after untimed
     * steps until the multiplier's read-ahead tuners have settled (at least one).
     */
    Split measure(int threads, int steps) {
        ModelConfig c = model.config();
        int widest = Math.max(Math.max(c.embeddingLength(), c.queryLength()), c.feedForwardLength());
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = random(rnd, widest);
        float[] out = new float[Math.max(widest, c.vocabSize())];
        try (WorkerPool pool = new WorkerPool(threads)) {
            MatMul mm = new MatMul(pool, widest);
            Activations acts = new Activations(widest);
            long[] nanos = new long[3];
            for (int s = 0; s < 1 || (s < MAX_TUNING_STEPS && mm.readAheadDistances().containsValue(-1L)); s++) {
                step(mm, acts, x, out, threads, new long[3]);
            }
            for (int s = 0; s < steps; s++) {
                step(mm, acts, x, out, threads, nanos);
            }
            return new Split(nanos[0] / 1e9 / steps, nanos[1] / 1e9 / steps, nanos[2] / 1e9 / steps);
        }
    }

    /** Untimed steps at most, waiting for the read-ahead tuners (each needs well under this many). */
    private static final int MAX_TUNING_STEPS = 100;

    /** One step's products, their times added to {@code nanos}: attention projections, feed-forward, head. */
    private void step(MatMul mm, Activations acts, float[] x, float[] out, int threads, long[] nanos) {
        ModelWeights w = model.weights();
        long t0 = now(threads);
        for (LayerWeights l : w.layers()) {
            product(mm, acts, x, out, l.q().weight(), l.k().weight(), l.v().weight());
            product(mm, acts, x, out, l.o().weight());
        }
        long t1 = now(threads);
        for (LayerWeights l : w.layers()) {
            product(mm, acts, x, out, l.gate().weight(), l.up().weight());
            product(mm, acts, x, out, l.down().weight());
        }
        long t2 = now(threads);
        product(mm, acts, x, out, w.output());
        long t3 = now(threads);
        nanos[0] += t1 - t0;
        nanos[1] += t2 - t1;
        nanos[2] += t3 - t2;
    }

    /** The matrices (of one input length) times one token of {@code x}, the activations set once for all of them. */
    private void product(MatMul mm, Activations acts, float[] x, float[] out, WeightMatrix... ms) {
        acts.set(x, 1, ms[0].cols());
        for (WeightMatrix m : ms) {
            mm.multiply(m, acts, numerics.activationFor(m, 1), numerics.summationFor(m, 1), out, 0);
        }
    }

    /** The calling thread's CPU time on one thread (all the work is the caller's), else the wall clock. */
    static long now(int threads) {
        return threads == 1 ? CPU.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
