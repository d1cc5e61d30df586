package io.bitnet4j.nn;

import java.util.Objects;

/**
 * Dynamic loss scaling for mixed-precision training, as PyTorch's {@code GradScaler}: the loss is
 * multiplied by a large scale before back-propagation so that small half-precision gradients do not
 * flush to zero, and the gradients are divided by it again before the optimizer step.
 *
 * <p>The scale adapts: every step whose gradients overflowed (any NaN or infinity) is skipped and the
 * scale is multiplied by the backoff factor; after {@code growthInterval} consecutive good steps it is
 * multiplied by the growth factor, exactly at the {@code growthInterval}-th good step (the next step then
 * uses the larger scale). An overflow resets the count of good steps.
 *
 * <p>Two bounds keep the scale meaningful. It never falls below {@link Options#minScale()} (default 1:
 * scaling a loss <em>down</em> cannot rescue gradients that overflow in their own right, and a scale that
 * decays towards 0 would flush every gradient); at the floor, overflowing steps are still skipped. And it
 * never grows to infinity: a growth that would overflow float keeps the current scale.
 *
 * <p>Typical use: {@code backward(scaler.scale(loss)); if (scaler.step(grads)) optimizer.apply(grads);}.
 * Not thread-safe; one scaler belongs to one training loop.
 */
public final class LossScaler {

    /**
     * @param initialScale   the starting scale, finite and ≥ {@code minScale}
     * @param growthFactor   multiplier after {@code growthInterval} good steps, finite and > 1
     * @param backoffFactor  multiplier on overflow, in (0, 1)
     * @param growthInterval consecutive good steps before growing, ≥ 1
     * @param minScale       the floor of the scale, finite and > 0
     */
    public record Options(float initialScale, float growthFactor, float backoffFactor, int growthInterval, float minScale) {
        public Options {
            if (!(Float.isFinite(minScale) && minScale > 0f)) {
                throw new IllegalArgumentException("minimum scale is " + minScale + "; must be finite and positive");
            }
            if (!(Float.isFinite(initialScale) && initialScale >= minScale)) {
                throw new IllegalArgumentException(
                        "initial scale is " + initialScale + "; must be finite and at least the minimum scale " + minScale);
            }
            if (!(Float.isFinite(growthFactor) && growthFactor > 1f)) {
                throw new IllegalArgumentException("growth factor is " + growthFactor + "; must be finite and greater than 1");
            }
            if (!(backoffFactor > 0f && backoffFactor < 1f)) {
                throw new IllegalArgumentException("backoff factor is " + backoffFactor + "; must be in (0, 1)");
            }
            if (growthInterval < 1) {
                throw new IllegalArgumentException("growth interval is " + growthInterval + "; must be at least 1");
            }
        }

        /** Scale 65536 (2^16), growth ×2 every 2000 good steps, backoff ×0.5, floor 1. */
        public static Options defaults() {
            return new Options(65536f, 2f, 0.5f, 2000, 1f);
        }
    }

    private final Options options;
    private float scale;
    private int goodSteps;

    public LossScaler() {
        this(Options.defaults());
    }

    public LossScaler(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.scale = options.initialScale();
    }

    public Options options() {
        return options;
    }

    /** The current scale. */
    public float scale() {
        return scale;
    }

    /** Consecutive good steps since the last growth or overflow. */
    public int goodSteps() {
        return goodSteps;
    }

    /**
     * {@code loss · scale}. A non-finite loss is passed through (it is not a caller error but a training
     * event): it yields non-finite gradients, which {@link #step} detects and skips.
     */
    public float scale(float loss) {
        return loss * scale;
    }

    /**
     * Divides every gradient by the current scale, in place, and returns whether all of them are finite
     * afterwards. All arrays are unscaled even after a non-finite value is found, so they are in a
     * consistent state whatever the caller does next.
     */
    public boolean unscale(float[]... grads) {
        Objects.requireNonNull(grads, "gradients");
        boolean finite = true;
        for (int a = 0; a < grads.length; a++) {
            float[] g = grads[a];
            if (g == null) {
                throw new IllegalArgumentException("gradient array " + a + " is null");
            }
            for (int i = 0; i < g.length; i++) {
                g[i] /= scale; // a division, not a reciprocal product: exact for powers of two, correctly rounded otherwise
                finite &= Float.isFinite(g[i]);
            }
        }
        return finite;
    }

    /** Records the outcome of a step: backs off and resets the count on overflow, grows after enough good steps. */
    public void update(boolean overflow) {
        if (overflow) {
            scale = Math.max(scale * options.backoffFactor(), options.minScale());
            goodSteps = 0;
            return;
        }
        goodSteps++;
        if (goodSteps == options.growthInterval()) {
            float grown = scale * options.growthFactor();
            if (Float.isFinite(grown)) {
                scale = grown;
            }
            goodSteps = 0;
        }
    }

    /**
     * Unscales the gradients, updates the scale and returns whether the optimizer should apply this step
     * (false when any gradient overflowed; the gradients are then garbage and must be discarded).
     */
    public boolean step(float[]... grads) {
        boolean finite = unscale(grads);
        update(!finite);
        return finite;
    }

    @Override
    public String toString() {
        return "LossScaler[scale " + scale + ", " + goodSteps + "/" + options.growthInterval() + " good steps]";
    }
}
