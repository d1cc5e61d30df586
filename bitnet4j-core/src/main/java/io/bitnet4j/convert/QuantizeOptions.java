package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;

/**
 * What {@link Quantization#quantize} does.
 *
 * @param target the ternary type of the selected tensors (TQ1_0, TQ2_0 or I2_S)
 * @param layers which tensors are ternarized
 * @param keep   the type of every other tensor of two or more dimensions (embedding, output head, routers, unselected
 *               linears); one-dimensional tensors (norms) stay F32, which llama.cpp requires of them
 * @param scales the scale optimization applied after absmean
 */
public record QuantizeOptions(GgmlType target, LayerSelection layers, GgmlType keep, ScaleOptimizer scales) {
    public QuantizeOptions {
        if (!ConvertOptions.isTernary(target)) {
            throw new IllegalArgumentException("quantization writes a ternary type (TQ1_0, TQ2_0 or I2_S), not " + target);
        }
        if (keep != GgmlType.F32 && keep != GgmlType.F16 && keep != GgmlType.BF16) {
            throw new IllegalArgumentException("kept tensors are F32, F16 or BF16, not " + keep);
        }
    }
}
