package io.bitnet4j.format;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;

/**
 * The packed ternary weights of Hugging Face {@code transformers}' BitNet integration ({@code quant_method
 * "bitnet"}, as in {@code microsoft/bitnet-b1.58-2B-4T}): a weight {@code [out, in]} is stored as a uint8
 * tensor {@code [R, in]} with {@code R = ceil(out / 4)}, plus a one-element {@code weight_scale}.
 *
 * <h2>Packing: along the output axis, in four row bands</h2>
 * The {@code out} weight rows are split into four consecutive bands of {@code R} rows. Byte {@code [r, c]} holds
 * column {@code c} of rows {@code r}, {@code r + R}, {@code r + 2R} and {@code r + 3R}, as codes {@code t + 1} in
 * bits 1–0, 3–2, 5–4 and 7–6 respectively (band {@code k} at bits {@code 2k}). Equivalently weight row
 * {@code o} is packed row {@code o mod R}, slot {@code o / R}. Rows are <em>not</em> interleaved
 * ({@code 4r + k} would be wrong). When {@code out} is not a multiple of 4 the last band is short and the
 * slots past {@code out} are zero; transformers itself only builds layers with {@code out} divisible by 4.
 * Code 3 is invalid (transformers would unpack it as +2) and rejected on reading.
 *
 * <h2>The scale: two conventions</h2>
 * Both store one number per tensor (bf16 in the 2B-4T checkpoint; converting that to float is exact and is
 * the reader's job), but mean opposite things — see {@link ScaleConvention}. bitnet4j's scale is always the
 * multiplier: weight = trit · scale.
 */
public final class HfPackedTernary {
    /** Weight rows per packed row. */
    public static final int ROWS_PER_BYTE = 4;

    /** What the stored {@code weight_scale} means. */
    public enum ScaleConvention {
        /**
         * {@code AutoBitLinear} with {@code quantization_mode "offline"} (the 2B-4T checkpoint): the layer computes
         * {@code (x · tᵀ) · weight_scale}, so the stored value is the multiplier itself.
         */
        MULTIPLY,
        /**
         * The older {@code BitLinear} layer: it computes {@code (x_q · tᵀ) / (input_scale · weight_scale)}, so the
         * stored value is the reciprocal of the multiplier ({@code 1 / mean|W|}). Converting takes a float32
         * reciprocal, exact only when the value is a power of two; otherwise the round trip may move it by an ulp.
         */
        DIVIDE;

        /** bitnet4j's scale (the multiplier) for a stored {@code weight_scale}. */
        public float toMultiplier(float stored) {
            requireUsable(stored, "stored weight_scale");
            return this == MULTIPLY ? stored : 1f / stored;
        }

        /** The {@code weight_scale} to store for bitnet4j's scale {@code scale}. */
        public float fromMultiplier(float scale) {
            requireUsable(scale, "scale");
            return this == MULTIPLY ? scale : 1f / scale;
        }

        private void requireUsable(float v, String what) {
            if (!Float.isFinite(v) || (this == DIVIDE && v == 0f)) {
                throw new IllegalArgumentException(what + " is " + v + "; the " + this + " convention needs a finite"
                        + (this == DIVIDE ? ", nonzero" : "") + " value");
            }
        }
    }

    /** A packed weight as it sits in the checkpoint: the uint8 bytes {@code [ceil(out/4), in]} and the stored scale. */
    public record Packed(byte[] weight, float weightScale) {}

    private HfPackedTernary() {}

    /** Packed rows for {@code out} weight rows: {@code ceil(out / 4)}. */
    public static int packedRows(int out) {
        if (out <= 0) {
            throw new IllegalArgumentException("output row count is " + out + "; must be positive");
        }
        return (out + ROWS_PER_BYTE - 1) / ROWS_PER_BYTE;
    }

    /** Packs trits {@code [out, in]} (row-major) into {@code [ceil(out/4), in]} bytes. */
    public static byte[] pack(byte[] trits, int out, int in) {
        Shape.of(out, in).requireLength(trits.length, "HF packed trit array");
        FormatChecks.requireTrits("HF packed", trits);
        int bandRows = packedRows(out);
        byte[] packed = new byte[Shape.of(bandRows, in).size()];
        for (int o = 0; o < out; o++) {
            int shift = 2 * (o / bandRows);
            int row = (o % bandRows) * in;
            for (int c = 0; c < in; c++) {
                packed[row + c] |= (byte) ((trits[o * in + c] + 1) << shift);
            }
        }
        return packed;
    }

    /** Unpacks {@code [ceil(out/4), in]} bytes into trits {@code [out, in]}; slots past {@code out} are ignored. */
    public static byte[] unpack(byte[] packed, int out, int in) {
        int bandRows = packedRows(out);
        int need = Shape.of(bandRows, in).size();
        if (packed.length != need) {
            throw new IllegalArgumentException("HF packed weight has " + packed.length + " bytes; [" + out + ", " + in
                    + "] needs [" + bandRows + ", " + in + "] = " + need);
        }
        byte[] trits = new byte[Shape.of(out, in).size()];
        for (int o = 0; o < out; o++) {
            int shift = 2 * (o / bandRows);
            int row = (o % bandRows) * in;
            for (int c = 0; c < in; c++) {
                int code = (packed[row + c] >>> shift) & 3;
                if (code == 3) {
                    throw new IllegalArgumentException("HF packed byte [" + (o % bandRows) + ", " + c + "] holds code 3 for weight ["
                            + o + ", " + c + "]; only 0, 1, 2 encode trits");
                }
                trits[o * in + c] = (byte) (code - 1);
            }
        }
        return trits;
    }

    /** The weight {@code shape = [out, in]} as trits with one {@link Granularity.PerTensor} scale (the multiplier). */
    public static TernaryWeight toTernaryWeight(byte[] packed, Shape shape, float weightScale, ScaleConvention convention) {
        requireMatrix(shape);
        byte[] trits = unpack(packed, shape.dim(0), shape.dim(1));
        return TernaryWeight.of(shape, Granularity.perTensor(), trits, new float[] {convention.toMultiplier(weightScale)});
    }

    /** Writes a {@code [out, in]} weight; throws unless all its elements share one scale. */
    public static Packed fromTernaryWeight(TernaryWeight w, ScaleConvention convention) {
        requireMatrix(w.shape());
        float[] scale = FormatChecks.regroupScales("HF packed", w, Granularity.perTensor());
        return new Packed(pack(w.trits(), w.shape().dim(0), w.shape().dim(1)), convention.fromMultiplier(scale[0]));
    }

    private static void requireMatrix(Shape shape) {
        if (shape.rank() != 2) {
            throw new IllegalArgumentException("HF packed weights are matrices [out, in]; got shape " + shape);
        }
    }
}
