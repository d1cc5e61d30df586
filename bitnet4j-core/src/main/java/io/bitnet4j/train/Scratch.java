package io.bitnet4j.train;

/** Two reusable work arrays (for transposes), grown on demand so a training step allocates nothing large. */
final class Scratch {
    private float[] a = new float[0];
    private float[] b = new float[0];

    /** A work array of at least {@code n} floats (contents undefined). */
    float[] a(int n) {
        if (a.length < n) {
            a = new float[n];
        }
        return a;
    }

    /** A second work array, distinct from {@link #a}. */
    float[] b(int n) {
        if (b.length < n) {
            b = new float[n];
        }
        return b;
    }
}
