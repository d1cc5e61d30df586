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
        float common = commonMagnitude(source);
        if (!Float.isNaN(common)) {
            return common; // one magnitude: exact, and no need to read the trits
        }
        double[] sums = {0, 0, 0, Double.POSITIVE_INFINITY, 0}; // Σ|s|, Σs², count, min |s|, max |s| over nonzero trits
        Streaming.mapChunks(source.rows(), source.rowLength(), 1, (first, count) -> {
            byte[] trits = new byte[Math.toIntExact(count * source.rowLength())];
            source.readTrits(first, count, trits);
            double[] chunk = {0, 0, 0, Double.POSITIVE_INFINITY, 0};
            forEachScaleRun(source, first * source.rowLength(), trits.length, (from, to, s) -> {
                int nonzero = 0;
                for (int i = from; i < to; i++) {
                    nonzero += trits[i] != 0 ? 1 : 0;
                }
                double a = Math.abs(s);
                if (nonzero > 0 && a != 0) {
                    chunk[0] += a * nonzero;
                    chunk[1] += a * a * nonzero;
                    chunk[2] += nonzero;
                    chunk[3] = Math.min(chunk[3], a);
                    chunk[4] = Math.max(chunk[4], a);
                }
            });
            return chunk;
        }, chunk -> {
            for (int i = 0; i < 3; i++) {
                sums[i] += chunk[i];
            }
            sums[3] = Math.min(sums[3], chunk[3]);
            sums[4] = Math.max(sums[4], chunk[4]);
        });
        if (sums[2] == 0) {
            return 0f;
        }
        if (sums[3] == sums[4]) {
            return (float) sums[3]; // the nonzero trits share one magnitude after all
        }
        float unified = (float) (sums[0] / sums[2]);
        // Σ n(|s| − u)² expanded, so one pass suffices
        error.addTotals(sums[1] - 2 * unified * sums[0] + (double) unified * unified * sums[2], sums[1]);
        return unified;
    }

    /**
     * The one magnitude all nonzero scales of {@code source} share (0 if every scale is 0), or NaN if they differ. A
     * block whose scale is nonzero but whose trits are all 0 counts too, which can only make this answer NaN where
     * the trits would have allowed one magnitude; {@link #unify} then finds that same value the long way.
     */
    private static float commonMagnitude(TernarySource source) {
        float common = 0f;
        for (long i = 0, n = source.scaleCount(); i < n; i++) {
            float a = Math.abs(source.scale(i));
            if (a != 0f) {
                if (common != 0f && a != common) {
                    return Float.NaN;
                }
                common = a;
            }
        }
        return common;
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

        /** Adds another accumulator's totals (of a chunk encoded elsewhere). */
        void add(ScaleError other) {
            addTotals(other.squaredChange, other.squaredValue);
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
