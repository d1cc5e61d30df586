package io.bitnet4j.model;

/**
 * Rotary position embedding as ggml's {@code rope} computes it: per position {@code p} the angle of pair
 * {@code i} is {@code θ_i = p · θscale^i}, accumulated by repeated float32 multiplication with
 * {@code θscale = powf(base, −2/n_rot)} (divided by {@code rope_freqs[i]} when the model has them), and
 * {@code cosf}/{@code sinf} are glibc's ({@link GlibcMath}). The rotation uses fma as the peers' compilers (GCC's and
 * clang's default contraction) build it. The tables are computed once per batch and shared by all layers
 * and heads.
 */
final class Rope {
    private final RopeStyle style;
    private final int headDim;
    private final int half;
    private final float thetaScale;
    private final float[] freqFactors;
    private final float[] cos;
    private final float[] sin;

    Rope(ModelConfig c, float[] freqFactors, int maxTokens) {
        this.style = c.ropeStyle();
        this.headDim = c.headDim();
        this.half = c.ropeDimensionCount() / 2;
        this.thetaScale = (float) Math.pow(c.ropeFreqBase(), -2.0f / c.ropeDimensionCount());
        this.freqFactors = freqFactors;
        this.cos = new float[maxTokens * half];
        this.sin = new float[maxTokens * half];
    }

    /** Fills the tables for rows {@code 0 .. tokens-1} at positions {@code positions[t]}. */
    void prepare(int[] positions, int tokens) {
        for (int t = 0; t < tokens; t++) {
            float theta = positions[t];
            for (int i = 0; i < half; i++) {
                float angle = freqFactors == null ? theta : theta / freqFactors[i];
                cos[t * half + i] = GlibcMath.cos(angle);
                sin[t * half + i] = GlibcMath.sin(angle);
                theta *= thetaScale;
            }
        }
    }

    /** Rotates {@code tokens} rows of {@code heads} heads in place; dimensions past {@code n_rot} are left as they are. */
    void apply(float[] x, int tokens, int heads) {
        int step = style == RopeStyle.NEOX ? half : 1;
        int stride = style == RopeStyle.NEOX ? 1 : 2;
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    int a = base + i * stride;
                    int b = a + step;
                    float c = cos[t * half + i];
                    float s = sin[t * half + i];
                    float x0 = x[a];
                    float x1 = x[b];
                    // as the peers' compilers contract x0·c − x1·s and x0·s + x1·c
                    x[a] = Math.fma(x0, c, -(x1 * s));
                    x[b] = Math.fma(x0, s, x1 * c);
                }
            }
        }
    }
}
