package io.bitnet4j.testing;

import java.util.SplittableRandom;

/** Reproducible random test data: every array comes from a {@link SplittableRandom} with the given seed. */
public final class SeededArrays {
    private SeededArrays() {}

    /** {@code n} standard normal values times {@code scale}. */
    public static float[] gaussian(long seed, int n, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * scale);
        }
        return out;
    }

    /** {@code n} values uniform in {@code [-bound, bound)}. */
    public static float[] uniform(long seed, int n, double bound) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextDouble(-bound, bound);
        }
        return out;
    }
}
