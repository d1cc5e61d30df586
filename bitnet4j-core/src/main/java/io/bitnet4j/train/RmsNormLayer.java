package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;

/**
 * RMSNorm with a learned gain: {@code y = x · r · w} with {@code r = 1/√(mean(x²) + eps)} per row. The forward pass
 * keeps {@code r} per row for the backward pass.
 */
final class RmsNormLayer {
    private RmsNormLayer() {}

    /** Normalizes {@code rows} rows of {@code n}; writes {@code out} and the per-row {@code rstd}. */
    static void forward(float[] x, float[] w, int wOff, float[] out, float[] rstd, int rows, int n, float eps, WorkerPool pool) {
        pool.run(rows, 16, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * n;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    ss += (double) x[o + i] * x[o + i];
                }
                float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
                rstd[r] = inv;
                for (int i = 0; i < n; i++) {
                    out[o + i] = x[o + i] * inv * w[wOff + i];
                }
            }
        });
    }

    /**
     * Adds {@code ∂L/∂x} to {@code dx} (when {@code accumulate}; else overwrites) and {@code ∂L/∂w} to {@code dw}.
     * With {@code g = dy·w}: {@code dx = r·g − x·r³·mean(g·x)}; {@code dw = Σ_rows dy·x·r}.
     */
    static void backward(float[] x, float[] w, int wOff, float[] rstd, float[] dy, float[] dx, boolean accumulate, float[] dw, int dwOff,
                         int rows, int n, WorkerPool pool) {
        pool.run(rows, 16, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * n;
                float inv = rstd[r];
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += (double) dy[o + i] * w[wOff + i] * x[o + i];
                }
                float c = (float) (dot / n) * inv * inv * inv;
                for (int i = 0; i < n; i++) {
                    float g = inv * dy[o + i] * w[wOff + i] - c * x[o + i];
                    dx[o + i] = accumulate ? dx[o + i] + g : g;
                }
            }
        });
        // The gain's gradient sums over rows: split over columns so each sum runs in row order on one thread.
        pool.run(n, 16, (worker, from, to) -> {
            for (int i = from; i < to; i++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += (double) dy[r * n + i] * x[r * n + i] * rstd[r];
                }
                dw[dwOff + i] += (float) s;
            }
        });
    }
}
