/**
 * bitnet4j: BitNet b1.58 ternary language models in plain Java. {@link io.bitnet4j.BitNet#load} is the front door for
 * running a GGUF model ({@link io.bitnet4j.LoadedModel}: generate, chat); the subpackages hold the pieces (quantizers
 * and formats, the GGUF reader and writer, kernels, the model, tokenizers, generation and evaluation).
 */
package io.bitnet4j;
