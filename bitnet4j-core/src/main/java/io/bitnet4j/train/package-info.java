/**
 * Training BitNet b1.58 models from scratch: quantization-aware training (ternary absmean weights and int8 per-token
 * activations in the forward pass, straight-through gradients, float master weights), the float baseline and
 * post-training quantization of it, all on the same code.
 *
 * <p>Written the way llm.c is: each layer ({@link io.bitnet4j.train.Transformer} chains them) is a small class with its
 * forward and backward pass spelled out: embedding, RMSNorm, BitLinear, RoPE, grouped-query attention, the gated FFN
 * activation, residual, cross-entropy. Dense products go through one vectorized kernel
 * ({@link io.bitnet4j.train.FloatMatmul}). {@link io.bitnet4j.train.Trainer} runs AdamW with a schedule and gradient
 * clipping, deterministically for a seed. {@link io.bitnet4j.train.Checkpoint} saves and resumes, and
 * {@link io.bitnet4j.train.GgufExport} writes a GGUF file of llama.cpp's {@code bitnet} architecture. The command is
 * {@code ./bitnet4j train}; see {@code docs/train.md}.
 */
package io.bitnet4j.train;
