package io.bitnet4j.model;

/** The element-wise steps of a block, each rounded to float32 exactly where ggml rounds. */
final class RowOps {
    private RowOps() {}

    /**
     * ggml's {@code rms_norm} followed by the multiplication by the norm weight, for {@code rows} rows of
     * {@code n}: squares in float32 summed in double, the mean cast to float, {@code scale = 1/sqrtf(mean + eps)}
     * in float32, then {@code (x · scale) · w}.
     */
    static void rmsNorm(float[] x, float[] out, int rows, int n, float[] weight, float eps) {
        rmsNorm(x, out, 0, rows, n, weight, eps);
    }

    /** {@link #rmsNorm(float[], float[], int, int, float[], float)} for rows {@code rowFrom .. rowTo)} only. */
    static void rmsNorm(float[] x, float[] out, int rowFrom, int rowTo, int n, float[] weight, float eps) {
        for (int r = rowFrom; r < rowTo; r++) {
            int at = r * n;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                float v = x[at + i];
                sum += v * v;
            }
            float mean = (float) (sum / n);
            float scale = 1.0f / (float) Math.sqrt(mean + eps);
            for (int i = 0; i < n; i++) {
                out[at + i] = x[at + i] * scale * weight[i];
            }
        }
    }

    /** {@code x[i] += y[i]} for {@code i < n} (the residual connection). */
    static void add(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            x[i] += y[i];
        }
    }

    /** Applies a projection's optional {@code .scale} and {@code .bias} to {@code rows} output rows of {@code n}. */
    static void scaleAndBias(Projection p, float[] y, int rows, int n) {
        if (p.scaled()) {
            float s = p.scale();
            for (int i = 0; i < rows * n; i++) {
                y[i] *= s;
            }
        }
        float[] bias = p.bias();
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    y[r * n + i] += bias[i];
                }
            }
        }
    }
}
