package io.bitnet4j.quant;

/**
 * How the small constant {@code eps} keeps the absmean weight scale away from zero, together with the
 * arithmetic that goes with each convention. Both give the same trits except where a weight lies within
 * a few ulps of a rounding half, so the choice only matters for bit parity with a peer.
 *
 * <ul>
 *   <li>{@link #ADD}: {@code gamma = mean|W| + eps}, {@code q = round(W / gamma)}, scale {@code gamma}. This is
 *       the definition in the BitNet b1.58 paper; it is our default.</li>
 *   <li>{@link #CLAMP}: {@code inv = 1 / max(mean|W|, eps)}, {@code q = round(W · inv)}, scale {@code 1 / inv}.
 *       This is bitnet.cpp's converter ({@code weight_quant} in {@code convert-hf-to-gguf-bitnet.py}) and the
 *       BitNet training reference code, step for step in float32, so with {@link Rounding#HALF_EVEN} it
 *       reproduces their ternary weights exactly.</li>
 * </ul>
 *
 * <p>The two differ visibly at exact halves: for {@code W = [-2, -0.5, 0, 0.5, 2]} (mean 1) ADD divides by
 * {@code 1 + eps}, which pulls ±0.5 just below the half, so they become 0; CLAMP divides by exactly 1 and
 * the rounding mode decides (half away from zero gives ±1, half to even gives 0).
 */
public enum EpsMode {
    ADD,
    CLAMP
}
