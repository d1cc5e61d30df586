package io.bitnet4j.nn;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.util.Arrays;

/**
 * The float matrix products of a linear layer and its gradients, shared by {@link FloatLinear} and
 * {@link BitLinear}'s float path. Rows are tokens; weights are {@code [out, in]} row-major. Dot products
 * accumulate in double so that the float path is a trustworthy reference for the integer path.
 */
final class DenseOps {
    private DenseOps() {}

    /**
     * Checks a layer input: non-empty, of the shape's length, finite, with the layer's input width.
     *
     * @return the output shape
     */
    static Shape checkInput(Linear layer, float[] x, Shape inputShape) {
        Checks.requireNonEmpty(x, "input");
        Checks.requireNonNull(inputShape, "input shape");
        inputShape.requireLength(x.length, "input");
        Shape out = layer.outputShape(inputShape);
        Checks.requireFinite(x, "input");
        return out;
    }

    /** Checks that a bias, if present, has one finite value per output; returns a copy (or null). */
    static float[] checkBias(float[] bias, int out) {
        if (bias == null) {
            return null;
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " elements; the layer has " + out + " outputs");
        }
        Checks.requireFinite(bias, "bias");
        return bias.clone();
    }

    /** {@code y[r, o] = Σ_i x[r, i] · w[o, i] + bias[o]} (bias may be null). */
    static float[] linear(float[] x, int rows, int in, float[] w, int out, float[] bias) {
        float[] y = new float[rows * out]; // fits: the caller checked the output shape
        for (int r = 0; r < rows; r++) {
            int xr = r * in;
            for (int o = 0; o < out; o++) {
                int wo = o * in;
                double acc = 0;
                for (int i = 0; i < in; i++) {
                    acc += (double) x[xr + i] * w[wo + i]; // exact in double: 24 + 24 bits
                }
                y[r * out + o] = (float) acc + (bias == null ? 0f : bias[o]);
            }
        }
        return y;
    }

    /** {@code dX[r, i] = Σ_o g[r, o] · w[o, i]}: the gradient of a linear layer with respect to its input. */
    static float[] inputGradient(float[] g, int rows, int out, float[] w, int in) {
        return product(g, rows, out, false, w, in);
    }

    /** {@code dW[o, i] = Σ_r g[r, o] · x[r, i]}: the gradient of a linear layer with respect to its weights. */
    static float[] weightGradient(float[] g, int rows, int out, float[] x, int in) {
        return product(g, out, rows, true, x, in);
    }

    /**
     * {@code C[m, n] = Σ_k A[m, k] · B[k, n]} for row-major {@code B [k, n]}, where {@code A [m, k]} is {@code a}
     * or, if {@code transposeA}, the transpose of {@code a [k, m]}. Rows of B are accumulated in double.
     */
    private static float[] product(float[] a, int m, int k, boolean transposeA, float[] b, int n) {
        float[] c = new float[m * n];
        double[] acc = new double[n];
        for (int row = 0; row < m; row++) {
            Arrays.fill(acc, 0);
            for (int j = 0; j < k; j++) {
                double coefficient = transposeA ? a[j * m + row] : a[row * k + j];
                for (int col = 0; col < n; col++) {
                    acc[col] += coefficient * b[j * n + col];
                }
            }
            for (int col = 0; col < n; col++) {
                c[row * n + col] = (float) acc[col];
            }
        }
        return c;
    }

    /** {@code db[o] = Σ_r g[r, o]}. */
    static float[] biasGradient(float[] g, int rows, int out) {
        float[] db = new float[out];
        for (int o = 0; o < out; o++) {
            double acc = 0;
            for (int r = 0; r < rows; r++) {
                acc += g[r * out + o];
            }
            db[o] = (float) acc;
        }
        return db;
    }
}
