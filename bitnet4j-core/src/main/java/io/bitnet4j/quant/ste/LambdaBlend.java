package io.bitnet4j.quant.ste;

import io.bitnet4j.tensor.Checks;

/**
 * Gradual quantization: the forward value {@code y = x + λ·(q(x) − x)} moves from full precision
 * (λ = 0) to the quantized tensor (λ = 1), with λ taken from a {@link LambdaSchedule}.
 *
 * <p>Backward, the {@code x} term contributes {@code (1 − λ)·g} and the quantized term contributes
 * {@code λ·g_ste}, where {@code g_ste} is the straight-through gradient of {@code q} (from
 * {@link StraightThrough#backward}): {@code dL/dx = (1 − λ)·g + λ·g_ste}. With the identity STE this is
 * just {@code g}.
 */
public final class LambdaBlend {
    private LambdaBlend() {}

    /**
     * {@code (1 − λ)·x + λ·q} per element, computed in double so that λ = 0 returns {@code x} and
     * λ = 1 returns {@code q} bit for bit (the form {@code x + λ·(q − x)} can miss {@code q} by an ulp).
     */
    public static float[] forward(float[] x, float[] quantized, double lambda) {
        return mix(x, "input", quantized, "quantized input", lambda);
    }

    /** {@code (1 − λ)·gradOut + λ·steGrad} per element: the gradient w.r.t. {@code x}. */
    public static float[] backward(float[] gradOut, float[] steGrad, double lambda) {
        return mix(gradOut, "upstream gradient", steGrad, "STE gradient", lambda);
    }

    /** {@code (1 − λ)·a + λ·b}: the blend is linear, so forward and backward are the same mix. */
    private static float[] mix(float[] a, String aName, float[] b, String bName, double lambda) {
        requireLambda(lambda);
        requirePair(a, aName, b, bName);
        float[] out = new float[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((1 - lambda) * a[i] + lambda * b[i]);
        }
        return out;
    }

    private static void requireLambda(double lambda) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda is " + lambda + "; must be in [0, 1]");
        }
    }

    private static void requirePair(float[] a, String aName, float[] b, String bName) {
        Checks.requireNonEmpty(a, aName);
        Checks.requireNonEmpty(b, bName);
        if (a.length != b.length) {
            throw new IllegalArgumentException(bName + " has " + b.length + " elements but the " + aName + " has " + a.length);
        }
        Checks.requireFinite(a, aName);
        Checks.requireFinite(b, bName);
    }
}
