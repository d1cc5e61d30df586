package io.bitnet4j.model;

/** Comparisons of logit arrays ({@code [tokens][vocab]}, row-major) for the model tests. */
final class Logits {
    private Logits() {}

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    static double range(float[] a) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : a) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }

    static float[] flatten(double[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int t = 0; t < rows.length; t++) {
            for (int v = 0; v < rows[t].length; v++) {
                out[t * rows[t].length + v] = (float) rows[t][v];
            }
        }
        return out;
    }

    static int argmax(float[] logits, int row, int vocab) {
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[row * vocab + v] > logits[row * vocab + best]) {
                best = v;
            }
        }
        return best;
    }

    /** Positions where the argmax differs. */
    static int argmaxDisagreements(float[] a, float[] b, int vocab) {
        int n = 0;
        for (int t = 0; t < a.length / vocab; t++) {
            if (argmax(a, t, vocab) != argmax(b, t, vocab)) {
                n++;
            }
        }
        return n;
    }

    static float[] lastRow(float[] all, int vocab) {
        return java.util.Arrays.copyOfRange(all, all.length - vocab, all.length);
    }
}
