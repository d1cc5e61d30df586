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
        public float round(float x) {
            // In double, |x| + 0.5 is exact for every float (a float has 24 significant bits), so
            // floor() sees the true sum; in float, 0.49999997f + 0.5f would round up to 1.
            return Math.copySign((float) Math.floor(Math.abs((double) x) + 0.5), x);
        }
    },
    HALF_EVEN {
        @Override
        public float round(float x) {
            return (float) Math.rint(x);
        }
    };

    /** {@code x} rounded to an integral float (keeps NaN and infinities). */
    public abstract float round(float x);

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
