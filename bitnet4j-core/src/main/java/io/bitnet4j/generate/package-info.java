/**
 * Generating text: {@link io.bitnet4j.generate.Generator} (a prompt through a session, then sampled tokens streamed
 * as text until an end-of-generation token, a stop string, the token limit or a full context, with the cache of a
 * shared prompt prefix reused), {@link io.bitnet4j.generate.Conversation} (multi-turn chat in the model's chat
 * format on one generator), {@link io.bitnet4j.generate.Sampler} (llama.cpp's default sampler chain, configured by
 * {@link io.bitnet4j.generate.SamplerConfig}) and {@link io.bitnet4j.generate.StopStrings} for ending generation at
 * a stop string without emitting part of it.
 */
package io.bitnet4j.generate;
