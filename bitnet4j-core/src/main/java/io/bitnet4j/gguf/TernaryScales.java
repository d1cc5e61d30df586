package io.bitnet4j.gguf;

import java.io.IOException;

/**
 * The scale bookkeeping of ternary-to-ternary writes (see {@link TensorCodec#encodeTernary}): normalizing a
 * block to a non-negative scale, and finding the one scale that stands for many.
 */
final class TernaryScales {
    private TernaryScales() {}

    /**
     * Makes the block {@code trits[from .. from+length)} with scale {@code s} canonical for a TQ block: a negative
     * scale flips the trits, a zero scale or an all-zero block zeroes trits and scale. Returns the fp16 bits of the
     * block scale and adds the rounding to {@code error}. Throws if the scale exceeds the fp16 range.
     */
    static short normalizeBlock(byte[] trits, int from, int length, float s, ScaleError error, String name) {
        int nonzero = flipOrZero(trits, from, length, s);
        if (nonzero == 0) {
            return 0;
        }
        float d = Math.abs(s);
        short bits = Float.floatToFloat16(d);
        float stored = Float.float16ToFloat(bits);
        if (Float.isInfinite(stored)) {
            throw new IllegalArgumentException("tensor '" + name + "': scale " + d + " is beyond the fp16 range (65504) of a TQ block scale");
        }
        error.add(nonzero, d, stored);
        return bits;
    }

    /** Multiplies {@code trits[from .. from+length)} by the sign of {@code s} (zeroing them for s = 0); returns the nonzero count. */
    static int flipOrZero(byte[] trits, int from, int length, float s) {
        int nonzero = 0;
        for (int i = from; i < from + length; i++) {
            if (s == 0f) {
                trits[i] = 0;
            } else if (s < 0f) {
                trits[i] = (byte) -trits[i];
            }
            nonzero += trits[i] != 0 ? 1 : 0;
        }
        return nonzero;
    }

    /**
     * The single scale that best stands for all of {@code source}'s: the common magnitude when the nonzero trits
     * all have the same |scale| (exact), otherwise the least-squares fit {@code Σ|s| / count} over the nonzero
     * trits. {@code error} receives the change. Reads the source's trits once.
     */
    static float unify(TernarySource source, ScaleError error) throws IOException {
        double[] sums = new double[3]; // Σ|s|, Σs², count over nonzero trits
        float[] range = {Float.POSITIVE_INFINITY, 0f}; // min and max |s| over nonzero trits
        Streaming.forEachChunk(source.rows(), source.rowLength(), 1, (first, count) -> {
            byte[] trits = new byte[Math.toIntExact(count * source.rowLength())];
            source.readTrits(first, count, trits);
            forEachScaleRun(source, first * source.rowLength(), trits.length, (from, to, s) -> {
                int nonzero = 0;
                for (int i = from; i < to; i++) {
                    nonzero += trits[i] != 0 ? 1 : 0;
                }
                double a = Math.abs(s);
                if (nonzero > 0 && a != 0) {
                    sums[0] += a * nonzero;
                    sums[1] += a * a * nonzero;
                    sums[2] += nonzero;
                    range[0] = Math.min(range[0], (float) a);
                    range[1] = Math.max(range[1], (float) a);
                }
            });
        });
        if (sums[2] == 0) {
            return 0f;
        }
        if (range[0] == range[1]) {
            error.add(sums[2], range[0], range[0]);
            return range[0];
        }
        float unified = (float) (sums[0] / sums[2]);
        // Σ n(|s| − u)² expanded, so one pass suffices
        error.addTotals(sums[1] - 2 * unified * sums[0] + (double) unified * unified * sums[2], sums[1]);
        return unified;
    }

    /** A run of elements {@code [from, to)} of one chunk that share scale {@code s}. */
    @FunctionalInterface
    interface ScaleRun {
        void accept(int from, int to, float s);
    }

    /** Splits {@code length} elements starting at flat element {@code firstElement} into runs of one scale each. */
    static void forEachScaleRun(TernarySource source, long firstElement, int length, ScaleRun run) {
        long block = source.scaleBlock();
        int from = 0;
        while (from < length) {
            long index = (firstElement + from) / block;
            int to = (int) Math.min(length, (index + 1) * block - firstElement);
            run.accept(from, to, source.scale(index));
            from = to;
        }
    }

    /** Accumulates the relative RMS change of nonzero values when scales are rounded or merged. */
    static final class ScaleError {
        private double squaredChange;
        private double squaredValue;

        /** {@code count} nonzero values of magnitude {@code exact} now stored as {@code stored}. */
        void add(double count, double exact, double stored) {
            addTotals(count * (stored - exact) * (stored - exact), count * exact * exact);
        }

        void addTotals(double change, double value) {
            squaredChange += Math.max(0, change);
            squaredValue += value;
        }

        double relativeRms() {
            return squaredValue == 0 ? 0 : Math.sqrt(squaredChange / squaredValue);
        }
    }
}
