package io.bitnet4j.nn;

import io.bitnet4j.quant.ActivationQuantizer;
import io.bitnet4j.quant.QuantizedActivations;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.util.Arrays;

/**
 * How the input (activation) scale {@code s_x} of an int8 layer is chosen. Every choice yields one
 * scale per row (token) of the input, so that a layer has a single code path: a per-tensor scale is
 * simply the same value for every row.
 *
 * <ul>
 *   <li>{@link Static}: one fixed scale, from calibration or given; values beyond {@code ±127·s_x}
 *       saturate at code ±127 (static int8 inference, PyTorch's post-training static quantization).</li>
 *   <li>{@link DynamicPerTensor}: {@code max|x| / 127} over the whole input of each call
 *       (PyTorch's {@code quantize_dynamic}).</li>
 *   <li>{@link DynamicPerToken}: {@code max|x_row| / 127} for each row of each call, as BitNet b1.58
 *       quantizes activations; one outlier token no longer costs every other token its resolution.</li>
 * </ul>
 *
 * <p>Dynamic scales of an all-zero tensor or row are 0 and give zero codes. They have no eps floor, as in PyTorch
 * ({@link ActivationQuantizer#unflooredScale}); BitNet's {@link ActivationQuantizer} floors {@code max|x|} at eps.
 * This interface only chooses scales: the codes are computed by {@link QuantizedActivations#quantize(float[],
 * Shape, float[], int, boolean, Rounding)}, the same arithmetic BitNet's activations use.
 */
public sealed interface ActivationScaling {

    /**
     * The scale of each row of {@code x} (shape {@code shape}, last dimension = row). The caller has
     * checked that {@code x} is finite and of the shape's length.
     */
    float[] rowScales(float[] x, Shape shape);

    /**
     * Quantizes {@code x} (shape {@code shape}) to int8 with this scaling: {@code clamp(round(x / s), ±127)}. The
     * result has one scale per row for {@link DynamicPerToken}, one for the whole tensor otherwise.
     *
     * @throws IllegalArgumentException if {@code x} is null, empty, not of the shape's length or holds NaN/infinity
     */
    default QuantizedActivations quantize(float[] x, Shape shape, Rounding rounding) {
        Checks.requireNonEmpty(x, "input");
        Checks.requireNonNull(shape, "input shape");
        Checks.requireNonNull(rounding, "rounding");
        shape.requireLength(x.length, "input");
        Checks.requireFinite(x, "input");
        boolean perToken = this instanceof DynamicPerToken;
        float[] rowScales = rowScales(x, shape);
        float[] scales = perToken ? rowScales : new float[] {rowScales[0]};
        return QuantizedActivations.quantize(x, shape, scales, Int8.BITS, perToken, rounding);
    }

    /** Whether the scale is computed from each call's input rather than fixed in advance. */
    default boolean isDynamic() {
        return !(this instanceof Static);
    }

    /** One fixed scale for every input. */
    record Static(float scale) implements ActivationScaling {
        public Static {
            if (!(Float.isFinite(scale) && scale > 0f)) {
                throw new IllegalArgumentException("static input scale is " + scale + "; must be finite and positive");
            }
        }

        @Override
        public float[] rowScales(float[] x, Shape shape) {
            float[] scales = new float[shape.rows()];
            Arrays.fill(scales, scale);
            return scales;
        }
    }

    /** {@code max|x| / 127} over the whole input of each call. */
    record DynamicPerTensor() implements ActivationScaling {
        @Override
        public float[] rowScales(float[] x, Shape shape) {
            float[] scales = new float[shape.rows()];
            Arrays.fill(scales, ActivationQuantizer.unflooredScale(x, 0, x.length, Int8.BITS));
            return scales;
        }
    }

    /** {@code max|x_row| / 127} for each row (token) of each call. */
    record DynamicPerToken() implements ActivationScaling {
        @Override
        public float[] rowScales(float[] x, Shape shape) {
            int rows = shape.rows();
            int n = shape.lastDim();
            float[] scales = new float[rows];
            for (int r = 0; r < rows; r++) {
                scales[r] = ActivationQuantizer.unflooredScale(x, r * n, (r + 1) * n, Int8.BITS);
            }
            return scales;
        }
    }

    /** A fixed scale; throws if it is not finite and positive. */
    static ActivationScaling fixedScale(float scale) {
        return new Static(scale);
    }

    static ActivationScaling dynamicPerTensor() {
        return new DynamicPerTensor();
    }

    static ActivationScaling dynamicPerToken() {
        return new DynamicPerToken();
    }
}
