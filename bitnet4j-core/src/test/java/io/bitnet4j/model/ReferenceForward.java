package io.bitnet4j.model;

import java.util.Map;

/**
 * The forward pass of the three architectures written as plainly as possible, in double precision and
 * recomputing everything for each position (no cache): the independent reference for {@link TinyModel}s.
 * Graph as in llama.cpp's build_llama / build_bitnet and bitnet.cpp's build_bitnet_158.
 */
final class ReferenceForward {
    private ReferenceForward() {}

    /** Logits {@code [tokens][vocab]} for every position. */
    static double[][] logits(TinyModel m, int[] tokens) {
        int n = tokens.length;
        Map<String, float[]> w = m.weights();
        boolean bitnet = !m.arch().equals("llama");
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) {
            x[t] = row(w.get("token_embd.weight"), tokens[t], m.dim());
        }
        for (int l = 0; l < m.layers(); l++) {
            String b = "blk." + l + ".";
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] h = norm(x[t], w.get(b + "attn_norm.weight"));
                q[t] = rope(m, linear(m, b + "attn_q", h), t, m.heads(), bitnet);
                k[t] = rope(m, linear(m, b + "attn_k", h), t, m.kvHeads(), bitnet);
                v[t] = linear(m, b + "attn_v", h);
            }
            for (int t = 0; t < n; t++) {
                double[] a = attention(m, q, k, v, t);
                if (bitnet) {
                    a = norm(a, w.get(b + "attn_sub_norm.weight"));
                }
                double[] o = linear(m, b + "attn_output", a);
                double[] y = add(x[t], o);
                double[] h = norm(y, w.get(b + "ffn_norm.weight"));
                double[] gate = linear(m, b + "ffn_gate", h);
                double[] up = linear(m, b + "ffn_up", h);
                double[] f = new double[m.ff()];
                for (int i = 0; i < m.ff(); i++) {
                    f[i] = activation(m, gate[i]) * up[i];
                }
                if (bitnet) {
                    f = norm(f, w.get(b + "ffn_sub_norm.weight"));
                }
                x[t] = add(y, linear(m, b + "ffn_down", f));
            }
        }
        float[] head = w.containsKey("output.weight") ? w.get("output.weight") : w.get("token_embd.weight");
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            out[t] = matvec(head, m.vocab(), m.dim(), norm(x[t], w.get("output_norm.weight")));
        }
        return out;
    }

    private static double activation(TinyModel m, double g) {
        String act = m.arch().equals("bitnet-b1.58") ? "relu2" : m.hiddenAct() == null ? "silu" : m.hiddenAct();
        return switch (act) {
            case "silu" -> g / (1 + Math.exp(-g));
            case "relu2" -> g > 0 ? g * g : 0;
            case "relu" -> Math.max(g, 0);
            default -> throw new IllegalArgumentException(act);
        };
    }

    private static double[] attention(TinyModel m, double[][] q, double[][] k, double[][] v, int t) {
        int hd = m.headDim();
        double[] out = new double[m.heads() * hd];
        for (int h = 0; h < m.heads(); h++) {
            int g = h / (m.heads() / m.kvHeads());
            double[] s = new double[t + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= t; j++) {
                for (int i = 0; i < hd; i++) {
                    s[j] += q[t][h * hd + i] * k[j][g * hd + i];
                }
                s[j] /= Math.sqrt(hd);
                max = Math.max(max, s[j]);
            }
            double sum = 0;
            for (int j = 0; j <= t; j++) {
                s[j] = Math.exp(s[j] - max);
                sum += s[j];
            }
            for (int j = 0; j <= t; j++) {
                for (int i = 0; i < hd; i++) {
                    out[h * hd + i] += s[j] / sum * v[j][g * hd + i];
                }
            }
        }
        return out;
    }

    /** Rotates pairs (2i, 2i+1) for llama, (i, i + ropeDims/2) for the BitNet architectures. */
    private static double[] rope(TinyModel m, double[] x, int pos, int heads, boolean neox) {
        int hd = m.headDim();
        int half = m.ropeDims() / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double theta = pos * Math.pow(TinyModel.ROPE_BASE, -2.0 * i / m.ropeDims());
                int a = h * hd + (neox ? i : 2 * i);
                int b = neox ? a + half : a + 1;
                double x0 = x[a];
                double x1 = x[b];
                x[a] = x0 * Math.cos(theta) - x1 * Math.sin(theta);
                x[b] = x0 * Math.sin(theta) + x1 * Math.cos(theta);
            }
        }
        return x;
    }

    private static double[] linear(TinyModel m, String base, double[] x) {
        Map<String, float[]> w = m.weights();
        long[] d = m.dims().get(base + ".weight");
        double[] y = matvec(w.get(base + ".weight"), (int) d[1], (int) d[0], x);
        if (w.containsKey(base + ".scale")) {
            for (int i = 0; i < y.length; i++) {
                y[i] *= w.get(base + ".scale")[0];
            }
        }
        if (w.containsKey(base + ".bias")) {
            for (int i = 0; i < y.length; i++) {
                y[i] += w.get(base + ".bias")[i];
            }
        }
        return y;
    }

    private static double[] matvec(float[] w, int rows, int cols, double[] x) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                y[r] += w[r * cols + c] * x[c];
            }
        }
        return y;
    }

    private static double[] norm(double[] x, float[] weight) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double scale = 1 / Math.sqrt(ss / x.length + TinyModel.EPS);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * scale * weight[i];
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    private static double[] row(float[] w, int r, int cols) {
        double[] y = new double[cols];
        for (int c = 0; c < cols; c++) {
            y[c] = w[r * cols + c];
        }
        return y;
    }
}
