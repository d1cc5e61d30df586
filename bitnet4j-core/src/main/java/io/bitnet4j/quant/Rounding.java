package io.bitnet4j.quant;

/**
 * How a quantizer rounds a real value to an integer code. The choice matters at exact halves, which
 * real data hits (a weight equal to half its scale, an activation at a half step).
 *
 * <ul>
 *   <li>{@link #HALF_AWAY_FROM_ZERO}: C's {@code lroundf}, used by ggml's reference quantizers and by
 *       Rust's {@code f32::round}; the default here. Note that Java's {@code Math.round} rounds half
 *       <em>up</em> ({@code Math.round(-0.5f) == 0}), which is neither of these.</li>
 *   <li>{@link #HALF_EVEN}: IEEE round-to-nearest-even, as PyTorch's {@code torch.round}, numpy's
 *       {@code rint} and ggml's {@code nearest_int} (used for Q8_K and bitnet.cpp's activations).</li>
 * </ul>
 */
public enum Rounding {
    HALF_AWAY_FROM_ZERO {
        @Override
        public double round(double x) {
            // Not floor(|x| + 0.5): for the largest double below 0.5 that sum rounds up to 1.0. The
            // fraction |x| - floor(|x|) is exact in double, so comparing it with 0.5 never errs.
            double a = Math.abs(x);
            double whole = Math.floor(a);
            return Math.copySign(a - whole >= 0.5 ? whole + 1 : whole, x);
        }
    },
    HALF_EVEN {
        @Override
        public double round(double x) {
            return Math.rint(x);
        }
    };

    /**
     * {@code x} rounded to an integral double (keeps NaN and infinities). Callers whose values exceed
     * a float's 24 significant bits, such as an int32 bias code, round here rather than in float.
     */
    public abstract double round(double x);

    /**
     * {@code x} rounded to an integral float (keeps NaN and infinities). The same as rounding the float
     * in double: every float is a double, and an integral double of a float's magnitude is a float again.
     */
    public float round(float x) {
        return (float) round((double) x);
    }

    /** {@code x} rounded and clamped to {@code [lo, hi]}, as an int. NaN must be rejected by the caller. */
    public int roundClamp(float x, int lo, int hi) {
        float r = round(x);
        if (r < lo) {
            return lo;
        }
        if (r > hi) {
            return hi;
        }
        return (int) r;
    }
}
