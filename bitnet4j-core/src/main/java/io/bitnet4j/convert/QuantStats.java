package io.bitnet4j.convert;

/**
 * How one tensor fared in post-training ternarization.
 *
 * @param tensor           the tensor name
 * @param elements         its element count
 * @param relativeRmsError {@code ‖W − Ŵ‖ / ‖W‖}, the quantization error relative to the weights (0 for all-zero weights)
 * @param sparsity         the fraction of zero trits
 * @param scale            the scale (the mean over units when there are several)
 */
public record QuantStats(String tensor, long elements, double relativeRmsError, double sparsity, float scale) {}
