/**
 * Quantization-aware training: fake quantization with observers or a learned step.
 *
 * <ul>
 *   <li>{@link io.bitnet4j.quant.qat.QuantSpec} (the integer grid) turns a real range into
 *       {@link io.bitnet4j.quant.qat.QParams} (scale, zero point).</li>
 *   <li>Observers choose the range from data: {@link io.bitnet4j.quant.qat.MinMaxObserver},
 *       {@link io.bitnet4j.quant.qat.MovingAverageMinMaxObserver}, {@link io.bitnet4j.quant.qat.PercentileObserver},
 *       {@link io.bitnet4j.quant.qat.MeanStdObserver}, {@link io.bitnet4j.quant.qat.HistogramObserver}; any of them
 *       per channel through {@link io.bitnet4j.quant.qat.ScopedObserver}.</li>
 *   <li>{@link io.bitnet4j.quant.qat.FakeQuantize}, made from a {@link io.bitnet4j.quant.qat.FakeQuantConfig}, is
 *       the training-time module: {@link io.bitnet4j.quant.qat.ObserverFakeQuantize} (observer-driven, clipped
 *       STE) or {@link io.bitnet4j.quant.qat.LsqQuantizer} (learned step size, LSQ).</li>
 * </ul>
 *
 * <p>Tensors are row-major {@code float[]} with a {@link io.bitnet4j.tensor.Shape}; per-channel parameters
 * follow one axis of that shape.
 */
package io.bitnet4j.quant.qat;
