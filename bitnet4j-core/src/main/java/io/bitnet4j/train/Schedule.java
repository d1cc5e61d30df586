package io.bitnet4j.train;

/**
 * Learning rate and weight decay as functions of the step (0-based).
 *
 * <ul>
 *   <li>{@link Kind#COSINE}: linear warm-up to {@code peakLr}, then cosine decay to {@code peakLr·minRatio}; constant
 *       weight decay.</li>
 *   <li>{@link Kind#TWO_STAGE}: BitNet b1.58's two stages. Stage 1 (first half): warm-up, then cosine from the peak down
 *       to half of it, weight decay on a cosine from its peak to 0 over the stage; stage 2 (second half)
 *       starts from a lower learning rate ({@code 0.4·peak}, cosine down to {@code peak·minRatio}) with weight decay 0,
 *       as the 2B-4T report describes (a sharp drop mid-way, then no decay).</li>
 * </ul>
 */
public record Schedule(Kind kind, float peakLr, float minRatio, long warmupSteps, long totalSteps, float weightDecay) {
    /** The shape of the schedule. */
    public enum Kind { COSINE, TWO_STAGE }

    public Schedule {
        if (kind == null || !(peakLr > 0) || !Float.isFinite(peakLr) || !(minRatio >= 0 && minRatio <= 1) || warmupSteps < 0
                || totalSteps < 1 || !(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("bad schedule: " + kind + " lr " + peakLr + " min ratio " + minRatio + " warm-up "
                    + warmupSteps + " of " + totalSteps + " steps, weight decay " + weightDecay);
        }
    }

    /** The learning rate at {@code step}. */
    public float lr(long step) {
        if (step < warmupSteps) {
            return peakLr * (step + 1) / warmupSteps;
        }
        return switch (kind) {
            case COSINE -> peakLr * cosine(step - warmupSteps, totalSteps - warmupSteps, 1f, minRatio);
            case TWO_STAGE -> {
                long half = totalSteps / 2;
                yield step < half
                        ? peakLr * cosine(step - warmupSteps, half - warmupSteps, 1f, 0.5f)
                        : peakLr * cosine(step - half, totalSteps - half, 0.4f, minRatio);
            }
        };
    }

    /** The weight decay at {@code step}. */
    public float weightDecay(long step) {
        return switch (kind) {
            case COSINE -> weightDecay;
            case TWO_STAGE -> step < totalSteps / 2 ? weightDecay * cosine(step, totalSteps / 2, 1f, 0f) : 0f;
        };
    }

    /** {@code to + (from − to)·(1 + cos(π·t/n))/2}, clamped to the end for {@code t ≥ n}. */
    private static float cosine(long t, long n, float from, float to) {
        double p = n <= 0 ? 1 : Math.min(1.0, (double) t / n);
        return (float) (to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * p)));
    }
}
