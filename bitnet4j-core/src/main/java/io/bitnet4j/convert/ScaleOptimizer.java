package io.bitnet4j.convert;

import io.bitnet4j.quant.TernaryWeight;

/**
 * The hook where a post-training quantizer may improve the scales of a ternarized tensor before it is written.
 * It sees the original weights and the ternary result, and returns the weight to store (same shape and
 * granularity). A calibration-based optimizer, fitting scales to a layer's outputs on sample activations, is
 * meant to plug in here; the two built in need only the weights.
 */
@FunctionalInterface
public interface ScaleOptimizer {
    TernaryWeight optimize(String tensor, float[] weights, TernaryWeight ternary);

    /** Keeps the quantizer's own scales (absmean). */
    ScaleOptimizer NONE = (tensor, weights, ternary) -> ternary;

    /**
     * Refits each scale unit to {@code s = Σ w·t / Σ t²} over its nonzero trits: for the trits chosen, the scale
     * with the least squared error. A unit without nonzero trits keeps its scale.
     */
    ScaleOptimizer LEAST_SQUARES = (tensor, weights, ternary) -> {
        int unit = ternary.granularity().unitLength(ternary.shape());
        float[] scales = ternary.scales();
        byte[] trits = ternary.trits();
        for (int u = 0; u < scales.length; u++) {
            double dot = 0;
            long count = 0;
            for (int i = u * unit; i < (u + 1) * unit; i++) {
                dot += (double) weights[i] * trits[i];
                count += trits[i] != 0 ? 1 : 0;
            }
            if (count > 0) {
                scales[u] = (float) (dot / count);
            }
        }
        return TernaryWeight.of(ternary.shape(), ternary.granularity(), trits, scales);
    };
}
