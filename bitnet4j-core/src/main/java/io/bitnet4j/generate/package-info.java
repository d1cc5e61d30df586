/**
 * Choosing generated tokens: {@link io.bitnet4j.generate.Sampler} (llama.cpp's default sampler chain,
 * configured by {@link io.bitnet4j.generate.SamplerConfig}) and {@link io.bitnet4j.generate.StopStrings}
 * for ending generation at a stop string without emitting part of it.
 */
package io.bitnet4j.generate;
