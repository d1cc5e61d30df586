package io.bitnet4j.quant;

import io.bitnet4j.format.Plain2Bit;
import io.bitnet4j.tensor.Shape;

/**
 * A ternary weight tensor: trits in {−1, 0, +1} packed 2 bits each ({@link Plain2Bit}), and one float
 * scale per {@link Granularity} unit. Element {@code i} dequantizes to {@code trit(i) · scale(unit(i))}.
 *
 * <p>Immutable. Built by {@link AbsmeanQuantizer} or from a packed file format.
 */
public final class TernaryWeight {
    private final Shape shape;
    private final Granularity granularity;
    private final byte[] packed;
    private final float[] scales;
    private final int zeros;

    /**
     * @param trits  one value in {−1, 0, +1} per element, row-major
     * @param scales one finite scale per granularity unit
     */
    public static TernaryWeight of(Shape shape, Granularity granularity, byte[] trits, float[] scales) {
        shape.requireLength(trits.length, "trit array");
        return new TernaryWeight(shape, granularity, Plain2Bit.pack(trits), scales.clone());
    }

    /** Wraps already-packed {@link Plain2Bit} data (copied). */
    public static TernaryWeight ofPacked(Shape shape, Granularity granularity, byte[] packed, float[] scales) {
        if (packed.length != Plain2Bit.packedBytes(shape.size())) {
            throw new IllegalArgumentException("packed data has " + packed.length + " bytes; shape " + shape
                    + " needs " + Plain2Bit.packedBytes(shape.size()));
        }
        Plain2Bit.unpack(packed, shape.size()); // validates every code
        return new TernaryWeight(shape, granularity, packed.clone(), scales.clone());
    }

    private TernaryWeight(Shape shape, Granularity granularity, byte[] packed, float[] scales) {
        int need = granularity.scaleCount(shape);
        if (scales.length != need) {
            throw new IllegalArgumentException(
                    "granularity " + granularity + " over shape " + shape + " needs " + need + " scales, got " + scales.length);
        }
        for (int i = 0; i < scales.length; i++) {
            if (!Float.isFinite(scales[i])) {
                throw new IllegalArgumentException("scale " + i + " is " + scales[i] + "; must be finite");
            }
        }
        this.shape = shape;
        this.granularity = granularity;
        this.packed = packed;
        this.scales = scales;
        int z = 0;
        for (int i = 0, n = shape.size(); i < n; i++) {
            if (Plain2Bit.get(packed, i) == 0) {
                z++;
            }
        }
        this.zeros = z;
    }

    public Shape shape() {
        return shape;
    }

    public Granularity granularity() {
        return granularity;
    }

    /** Trit of flat element {@code i}. */
    public int trit(int i) {
        return Plain2Bit.get(packed, i);
    }

    /** All trits, unpacked (a copy). */
    public byte[] trits() {
        return Plain2Bit.unpack(packed, shape.size());
    }

    /** The packed {@link Plain2Bit} bytes (a copy). */
    public byte[] packed() {
        return packed.clone();
    }

    /** The scales, one per granularity unit (a copy). */
    public float[] scales() {
        return scales.clone();
    }

    /** The scale that applies to flat element {@code i}. */
    public float scaleOf(int i) {
        return scales[granularity.scaleIndex(shape, i)];
    }

    /** Back to floats: {@code trit · scale} per element. */
    public float[] dequantize() {
        int n = shape.size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = Plain2Bit.get(packed, i) * scaleOf(i);
        }
        return out;
    }

    /** Fraction of zero trits, in [0, 1]. */
    public double sparsity() {
        return (double) zeros / shape.size();
    }

    /** Bytes this tensor occupies: the packed trits plus a float32 per scale. */
    public long memoryBytes() {
        return (long) packed.length + 4L * scales.length;
    }

    /** Float32 size divided by {@link #memoryBytes()}: the honest ratio, scales included (at most 16). */
    public double compressionRatio() {
        return 4.0 * shape.size() / memoryBytes();
    }

    @Override
    public String toString() {
        return "TernaryWeight" + shape + " " + granularity + ", sparsity " + String.format("%.3f", sparsity());
    }
}
