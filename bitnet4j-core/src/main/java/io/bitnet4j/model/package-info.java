/**
 * The inference engine: a transformer forward pass over GGUF models of the {@code llama}, {@code bitnet}
 * and {@code bitnet-b1.58} architectures.
 *
 * <ul>
 *   <li>{@link io.bitnet4j.model.ModelConfig} — hyperparameters from GGUF metadata, as llama.cpp reads them.
 *   <li>{@link io.bitnet4j.model.Model} — a configuration plus its tensors, checked against it and bound to
 *       kernels; the weights stay memory-mapped.
 *   <li>{@link io.bitnet4j.model.Session} — one conversation: KV cache, position and buffers;
 *       {@code forward} runs a prompt as a batch and then one token at a time without allocating.
 *   <li>{@link io.bitnet4j.model.Numerics} — which peer's rounding and summation steps to reproduce
 *       (llama.cpp's or bitnet.cpp's); with them the engine's logits equal the peers' bit for bit on the
 *       reference models.
 * </ul>
 */
package io.bitnet4j.model;
