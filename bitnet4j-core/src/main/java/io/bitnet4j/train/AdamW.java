package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;

/**
 * AdamW (Loshchilov &amp; Hutter): Adam's moments with bias correction, and weight decay applied to the parameter
 * directly ({@code p -= lr·wd·p}) rather than through the gradient. Decay applies only where {@code decays[i]}
 * (linear weights and the embedding; norms' gains are not decayed, as is usual). The moments live in arrays of the
 * parameters' layout so checkpoints can save them.
 */
public final class AdamW {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final boolean[] decays;
    private final float[] m;
    private final float[] v;

    /** Moments start at zero. */
    public AdamW(ParamLayout layout, float beta1, float beta2, float eps) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("AdamW betas " + beta1 + ", " + beta2 + " must be in [0, 1) and eps " + eps + " positive");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new float[layout.size()];
        this.v = new float[layout.size()];
        this.decays = new boolean[layout.size()];
        for (ParamLayout.Slot s : layout.slots()) {
            if (s.kind() != ParamLayout.Kind.NORM) {
                java.util.Arrays.fill(decays, s.offset(), s.offset() + s.size(), true);
            }
        }
    }

    /** The first moment (for checkpoints; the optimizer's own array). */
    public float[] firstMoment() {
        return m;
    }

    /** The second moment (for checkpoints; the optimizer's own array). */
    public float[] secondMoment() {
        return v;
    }

    /**
     * One update with the gradient {@code g}; {@code step} counts from 1 (it sets the bias correction).
     */
    public void step(float[] params, float[] g, long step, float lr, float weightDecay, WorkerPool pool) {
        if (params.length != m.length || g.length != m.length) {
            throw new IllegalArgumentException("AdamW over " + m.length + " parameters got " + params.length + " and " + g.length + " gradients");
        }
        if (step < 1) {
            throw new IllegalArgumentException("AdamW step " + step + " must be ≥ 1");
        }
        float c1 = (float) (1 - Math.pow(beta1, step));
        float c2 = (float) (1 - Math.pow(beta2, step));
        pool.run(params.length, 4096, (w, from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float mi = beta1 * m[i] + (1 - beta1) * gi;
                float vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float update = (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
                float p = params[i];
                if (decays[i]) {
                    p -= lr * weightDecay * p;
                }
                params[i] = p - lr * update;
            }
        });
    }

    /**
     * Scales {@code g} so its global L2 norm is at most {@code maxNorm} (no change if {@code maxNorm ≤ 0}); returns the
     * norm before clipping. The sum of squares runs in index order in double, so it is the same with any thread count.
     */
    public static double clipGlobalNorm(float[] g, double maxNorm) {
        double ss = 0;
        for (float x : g) {
            ss += (double) x * x;
        }
        double norm = Math.sqrt(ss);
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("the gradient's norm is " + norm + ": training diverged (try a lower learning rate)");
        }
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
        return norm;
    }
}
