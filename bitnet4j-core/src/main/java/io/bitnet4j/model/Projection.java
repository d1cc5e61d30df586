package io.bitnet4j.model;

import io.bitnet4j.kernel.WeightMatrix;

/**
 * One linear layer of a block: the weight and its optional extras, applied in llama.cpp's order
 * {@code y = (W·x) · scale + bias}.
 *
 * @param weight the matrix
 * @param scale  the {@code .scale} tensor's value (BitNet files may carry one per linear), or 1
 * @param scaled whether there was a {@code .scale} tensor (a multiplication by 1 is still skipped, as upstream)
 * @param bias   the {@code .bias} vector, or null
 */
record Projection(WeightMatrix weight, float scale, boolean scaled, float[] bias) {}
