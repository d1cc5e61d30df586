package io.bitnet4j.nn;

import io.bitnet4j.quant.Rounding;
import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.util.Objects;

/**
 * An activation tensor quantized to symmetric int8: codes in {@code [-127, 127]} and one scale per row
 * (token). Element {@code i} of row {@code r} stands for {@code code(i) · scale(r)}. Immutable.
 */
public final class QuantizedActivations {
    private final Shape shape;
    private final byte[] codes;
    private final float[] rowScales;

    private QuantizedActivations(Shape shape, byte[] codes, float[] rowScales) {
        this.shape = shape;
        this.codes = codes;
        this.rowScales = rowScales;
    }

    /**
     * Quantizes {@code x} of shape {@code shape} with the scales {@code scaling} picks, rounding
     * {@code x / s} with {@code rounding} and clamping to ±127.
     *
     * @throws IllegalArgumentException if {@code x} is null, empty, not of the shape's length, or holds NaN/infinity
     */
    public static QuantizedActivations quantize(float[] x, Shape shape, ActivationScaling scaling, Rounding rounding) {
        Checks.requireNonEmpty(x, "input");
        Objects.requireNonNull(shape, "input shape");
        Objects.requireNonNull(scaling, "activation scaling");
        Objects.requireNonNull(rounding, "rounding");
        shape.requireLength(x.length, "input");
        Checks.requireFinite(x, "input");
        float[] scales = scaling.rowScales(x, shape);
        int n = shape.lastDim();
        byte[] codes = new byte[x.length];
        for (int r = 0; r < scales.length; r++) {
            Int8.quantize(x, r * n, (r + 1) * n, scales[r], rounding, codes, r * n);
        }
        return new QuantizedActivations(shape, codes, scales);
    }

    public Shape shape() {
        return shape;
    }

    /** The codes, row-major (a copy). */
    public byte[] codes() {
        return codes.clone();
    }

    /** One scale per row (a copy). */
    public float[] rowScales() {
        return rowScales.clone();
    }

    /** The scale of row {@code row}. */
    public float scale(int row) {
        return rowScales[row];
    }

    /** The fake-quantized values {@code code · scale} as floats: what the int8 codes stand for. */
    public float[] dequantize() {
        return Int8.dequantize(codes, rowScales, shape.lastDim());
    }

    /** The codes without copying, for the layers of this package (which never modify them). */
    byte[] codesView() {
        return codes;
    }
}
