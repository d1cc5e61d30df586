package io.bitnet4j.kernel;

import static io.bitnet4j.kernel.VectorWidth.FLOATS;
import static io.bitnet4j.kernel.VectorWidth.INTS;
import static io.bitnet4j.kernel.VectorWidth.QUARTER_BYTES;

import io.bitnet4j.format.I2sMatmul;
import io.bitnet4j.format.Q8_K;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The int8 quantizations of activations at the width of {@link VectorWidth}, for {@link VectorFloatRows}: llama.cpp's
 * Q8_K blocks (with the sums of 32 values its TQ kernels use) and bitnet.cpp's rows with one scale. Each gives the
 * same bytes and scales as its scalar form in {@code format}; a block or row holding a NaN or an infinity goes there.
 */
final class VectorQuantizers {
    private static final int L = FLOATS.length();
    /** Added and subtracted, rounds a float below 2^22 in magnitude to an integer, ties to even (rint). */
    private static final float ROUNDER = 0x1.8p23f;

    private VectorQuantizers() {}

    /**
     * Q8_K's steps with whole vectors: the largest magnitude by lanes (the sign taken from its first occurrence, as
     * the scalar loop does), {@code rint} as the add-and-subtract of 1.5·2<sup>23</sup> (exact for the magnitudes up to
     * 127 met here, ties to even), and the sums of 32 codes from the integers before narrowing. A block holding a NaN
     * or an infinity goes to the scalar code.
     */
    static float q8kBlock(float[] x, int from, byte[] qs, int qsOffset, int[] sums32, int sumsOffset) {
        int n = Q8_K.BLOCK_SIZE;
        FloatVector largest = FloatVector.zero(FLOATS);
        for (int i = 0; i < n; i += L) {
            largest = largest.lanewise(VectorOperators.MAX, FloatVector.fromArray(FLOATS, x, from + i).abs());
        }
        float amax = largest.reduceLanes(VectorOperators.MAX);
        if (!Float.isFinite(amax) || amax == 0f) {
            return ScalarFloatRows.INSTANCE.quantizeQ8KBlock(x, from, qs, qsOffset, sums32, sumsOffset);
        }
        float max = 0f;
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, from + i);
            VectorMask<Float> at = v.abs().compare(VectorOperators.EQ, amax);
            if (at.anyTrue()) {
                max = x[from + i + at.firstTrue()];
                break;
            }
        }
        float iscale = -127f / max;
        IntVector sum = IntVector.zero(INTS);
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, from + i).mul(iscale).add(ROUNDER).sub(ROUNDER);
            IntVector q = ((IntVector) v.convert(VectorOperators.F2I, 0)).min(127);
            q.convertShape(VectorOperators.I2B, QUARTER_BYTES, 0).reinterpretAsBytes().intoArray(qs, qsOffset + i);
            sum = sum.lanewise(VectorOperators.ADD, q);
            if ((i + L) % 32 == 0) {
                sums32[sumsOffset + i / 32] = sum.reduceLanes(VectorOperators.ADD);
                sum = IntVector.zero(INTS);
            }
        }
        return 1f / iscale;
    }

    /** {@link I2sMatmul#quantizeRow}'s steps with whole vectors, {@code rint} as in {@link #q8kBlock}. */
    static float i8Row(float[] x, int from, int cols, byte[] q, int qOffset, int[] sums, int sumIndex) {
        if (cols % L != 0) { // rows of whole vectors only (every model's rows are)
            return ScalarFloatRows.INSTANCE.quantizeI8Row(x, from, cols, q, qOffset, sums, sumIndex);
        }
        FloatVector largest = FloatVector.zero(FLOATS);
        for (int i = 0; i < cols; i += L) {
            largest = largest.lanewise(VectorOperators.MAX, FloatVector.fromArray(FLOATS, x, from + i).abs());
        }
        float amax = largest.reduceLanes(VectorOperators.MAX);
        if (!Float.isFinite(amax)) {
            return ScalarFloatRows.INSTANCE.quantizeI8Row(x, from, cols, q, qOffset, sums, sumIndex);
        }
        float s = (float) (127 / Math.max((double) amax, 1e-5));
        IntVector sum = IntVector.zero(INTS);
        for (int i = 0; i < cols; i += L) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, from + i).mul(s).add(ROUNDER).sub(ROUNDER);
            IntVector c = ((IntVector) v.convert(VectorOperators.F2I, 0)).max(-128).min(127);
            c.convertShape(VectorOperators.I2B, QUARTER_BYTES, 0).reinterpretAsBytes().intoArray(q, qOffset + i);
            sum = sum.lanewise(VectorOperators.ADD, c);
        }
        sums[sumIndex] = sum.reduceLanes(VectorOperators.ADD);
        return s;
    }
}
