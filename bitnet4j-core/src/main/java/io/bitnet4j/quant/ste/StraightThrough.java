package io.bitnet4j.quant.ste;

import io.bitnet4j.tensor.Checks;

/**
 * The straight-through estimator: forward through a {@link FakeQuantizer}, backward as (clipped)
 * identity. Stateless; every method returns a new array and leaves its arguments untouched.
 */
public final class StraightThrough {
    private StraightThrough() {}

    /**
     * The forward value {@code x + (q(x) − x).detach()}, which is {@code q(x)}. Checks that the
     * quantizer kept the length and produced finite values, so a faulty quantizer fails here rather
     * than as NaN losses later.
     */
    public static float[] forward(float[] x, FakeQuantizer quantizer) {
        requireInput(x, "STE input");
        if (quantizer == null) {
            throw new IllegalArgumentException("quantizer is null");
        }
        float[] q = quantizer.fakeQuantize(x);
        if (q == null || q.length != x.length) {
            throw new IllegalArgumentException("quantizer returned " + (q == null ? "null" : q.length + " elements")
                    + " for an input of " + x.length);
        }
        Checks.requireFinite(q, "quantizer output");
        return q;
    }

    /** The gradient w.r.t. {@code x} under {@code mode}; {@code ranges} is only read for {@link SteMode#CLIPPED}. */
    public static float[] backward(SteMode mode, float[] x, float[] gradOut, ClipRanges ranges) {
        if (mode == null) {
            throw new IllegalArgumentException("STE mode is null");
        }
        return switch (mode) {
            case IDENTITY -> {
                requireSameLength(x, gradOut);
                yield identity(gradOut);
            }
            case CLIPPED -> clipped(x, gradOut, ranges);
        };
    }

    /** Identity STE: a copy of {@code gradOut}. */
    public static float[] identity(float[] gradOut) {
        requireInput(gradOut, "upstream gradient");
        return gradOut.clone();
    }

    /** Clipped STE: {@code gradOut[i]} where {@code x[i]} is inside {@code ranges.rangeOf(i)} (bounds included), else 0. */
    public static float[] clipped(float[] x, float[] gradOut, ClipRanges ranges) {
        requireSameLength(x, gradOut);
        if (ranges == null) {
            throw new IllegalArgumentException("clip ranges are null");
        }
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = ranges.rangeOf(i).contains(x[i]) ? gradOut[i] : 0f;
        }
        return dx;
    }

    private static void requireSameLength(float[] x, float[] gradOut) {
        requireInput(x, "STE input");
        requireInput(gradOut, "upstream gradient");
        if (x.length != gradOut.length) {
            throw new IllegalArgumentException(
                    "upstream gradient has " + gradOut.length + " elements but the input has " + x.length);
        }
    }

    private static void requireInput(float[] a, String what) {
        Checks.requireNonEmpty(a, what);
        Checks.requireFinite(a, what);
    }
}
