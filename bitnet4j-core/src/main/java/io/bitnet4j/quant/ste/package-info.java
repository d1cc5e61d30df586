/**
 * Straight-through estimators (STE) for quantization-aware training.
 *
 * <p>Rounding has zero derivative almost everywhere, so training through a quantizer needs a
 * surrogate gradient. The forward pass uses the quantized value; the backward pass pretends the
 * quantizer was (a clipped) identity:
 *
 * <ul>
 *   <li>{@link io.bitnet4j.quant.ste.SteMode#IDENTITY}: the gradient passes unchanged, as the BitNet
 *       reference {@code x + (q(x) - x).detach()}.</li>
 *   <li>{@link io.bitnet4j.quant.ste.SteMode#CLIPPED}: the gradient passes only where {@code x} lies in
 *       the representable range ({@link io.bitnet4j.quant.ste.ClipRange}), as PyTorch's FakeQuantize.</li>
 * </ul>
 *
 * <p>{@link io.bitnet4j.quant.ste.LambdaBlend} and {@link io.bitnet4j.quant.ste.LambdaSchedule} phase
 * quantization in gradually ({@code x + λ·(q(x) − x)} with λ rising from 0 to 1). The quantizer itself
 * is a parameter ({@link io.bitnet4j.quant.ste.FakeQuantizer}), so any quantizer of the library fits.
 */
package io.bitnet4j.quant.ste;
