package io.bitnet4j.nn;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Post-training dynamic quantization, in the manner of PyTorch's {@code quantize_dynamic}: weights are
 * quantized to int8 once, activations are quantized at run time with scales computed from each call's
 * input (per tensor or per token), so no calibration data is needed.
 */
public final class DynamicQuantizer {
    private final QuantizedLinear.Options options;

    /** @throws IllegalArgumentException if {@code options} has a static activation scale */
    public DynamicQuantizer(QuantizedLinear.Options options) {
        Objects.requireNonNull(options, "options");
        if (!options.activationScaling().isDynamic()) {
            throw new IllegalArgumentException("dynamic quantization computes input scales per call; got "
                    + options.activationScaling() + " (use QuantizedLinear directly for a static scale)");
        }
        this.options = options;
    }

    /** Per output channel weights, one input scale per token. */
    public static DynamicQuantizer perToken() {
        return new DynamicQuantizer(QuantizedLinear.Options.defaults());
    }

    /** Per output channel weights, one input scale per call. */
    public static DynamicQuantizer perTensor() {
        return new DynamicQuantizer(new QuantizedLinear.Options(
                Granularity.perRow(), ActivationScaling.dynamicPerTensor(), Rounding.HALF_AWAY_FROM_ZERO));
    }

    public QuantizedLinear.Options options() {
        return options;
    }

    /** Quantizes float weights {@code [out, in]} and an optional bias {@code [out]}. */
    public QuantizedLinear quantize(float[] weights, Shape weightShape, float[] bias) {
        return new QuantizedLinear(weights, weightShape, bias, options);
    }

    /** Quantizes a float layer's weights and bias. */
    public QuantizedLinear quantize(HasFloatWeights layer) {
        Objects.requireNonNull(layer, "layer");
        return quantize(layer.weights(), Shape.of(layer.outFeatures(), layer.inFeatures()), layer.bias());
    }

    /**
     * The result of converting a map of named layers.
     *
     * @param layers    every layer, in the input's iteration order: converted ones replaced by their
     *                  {@link QuantizedLinear}, the others the same instances
     * @param converted names of the layers that were quantized
     * @param unchanged names of the layers left alone (not float, or excluded by the filter)
     */
    public record Conversion(Map<String, Linear> layers, List<String> converted, List<String> unchanged) {
        public Conversion {
            layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
            converted = List.copyOf(converted);
            unchanged = List.copyOf(unchanged);
        }

        /** One line: how many layers were converted and which. */
        public String summary() {
            return "quantized " + converted.size() + " of " + layers.size() + " layers to int8 " + converted
                    + (unchanged.isEmpty() ? "" : "; left alone " + unchanged);
        }
    }

    /** {@link #quantizeAll(Map, Predicate)} converting every float layer. */
    public Conversion quantizeAll(Map<String, ? extends Linear> layers) {
        return quantizeAll(layers, name -> true);
    }

    /**
     * Returns a new map in which every layer that {@linkplain HasFloatWeights has float weights} and whose
     * name {@code include} accepts is replaced by its dynamically quantized version. The input map is not
     * modified.
     *
     * @throws IllegalArgumentException naming the layer, if a name or layer is null or a layer cannot be quantized
     */
    public Conversion quantizeAll(Map<String, ? extends Linear> layers, Predicate<String> include) {
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(include, "include");
        Map<String, Linear> result = new LinkedHashMap<>();
        List<String> converted = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, ? extends Linear> e : layers.entrySet()) {
            String name = e.getKey();
            Linear layer = e.getValue();
            if (name == null) {
                throw new IllegalArgumentException("layer map has a null name");
            }
            if (layer == null) {
                throw new IllegalArgumentException("layer '" + name + "' is null");
            }
            if (layer instanceof HasFloatWeights floatLayer && include.test(name)) {
                try {
                    result.put(name, quantize(floatLayer));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("layer '" + name + "': " + ex.getMessage(), ex);
                }
                converted.add(name);
            } else {
                result.put(name, layer);
                unchanged.add(name);
            }
        }
        return new Conversion(result, converted, unchanged);
    }
}
