package io.bitnet4j.nn;

/**
 * Root-mean-square normalization of each row without a learnable gain, {@code n = x / sqrt(mean(x²) + eps)},
 * which BitLinear applies before quantizing its input, and its exact backward pass. The mean of squares is
 * taken in double, so no finite input can overflow it.
 */
final class RmsNorm {
    private RmsNorm() {}

    /** Normalizes each of the {@code rows} rows of {@code width} values. */
    static float[] forward(float[] x, int rows, int width, float eps) {
        float[] n = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double inv = inverseRms(x, base, width, eps);
            for (int i = 0; i < width; i++) {
                n[base + i] = (float) (x[base + i] * inv);
            }
        }
        return n;
    }

    /**
     * The gradient with respect to {@code x} given the gradient {@code dn} with respect to the output. With
     * {@code s = 1 / sqrt(mean(x²) + eps)} and {@code n = x·s}: {@code dx = s · (dn − n · mean(dn ⊙ n))}.
     */
    static float[] backward(float[] x, int rows, int width, float eps, float[] dn) {
        float[] dx = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double inv = inverseRms(x, base, width, eps);
            double dot = 0;
            for (int i = 0; i < width; i++) {
                dot += dn[base + i] * (x[base + i] * inv);
            }
            double meanDot = dot / width;
            for (int i = 0; i < width; i++) {
                dx[base + i] = (float) (inv * (dn[base + i] - x[base + i] * inv * meanDot));
            }
        }
        return dx;
    }

    private static double inverseRms(float[] x, int base, int width, float eps) {
        double sumSquares = 0;
        for (int i = 0; i < width; i++) {
            double v = x[base + i];
            sumSquares += v * v;
        }
        return 1.0 / Math.sqrt(sumSquares / width + eps);
    }
}
