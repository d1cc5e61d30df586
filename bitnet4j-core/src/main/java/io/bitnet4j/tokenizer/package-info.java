/**
 * Tokenizers with llama.cpp's semantics, and chat prompts.
 *
 * <ul>
 *   <li>{@link io.bitnet4j.tokenizer.Tokenizers} loads a {@link io.bitnet4j.tokenizer.Tokenizer} from GGUF
 *       metadata ({@code tokenizer.ggml.model} {@code llama}: SentencePiece; {@code gpt2}: byte-level BPE with
 *       the {@code llama-bpe} or {@code gpt-2} pre-tokenizer), from a llama2.c {@code tokenizer.bin} or from
 *       a LLaMA 3 tiktoken {@code tokenizer.model}.</li>
 *   <li>{@link io.bitnet4j.tokenizer.BpeTrainer} trains a SentencePiece-style BPE vocabulary on a text and
 *       gives its GGUF metadata ({@link io.bitnet4j.tokenizer.TrainedVocabulary}).</li>
 *   <li>{@link io.bitnet4j.tokenizer.Utf8StreamDecoder} turns streamed token pieces into whole characters.</li>
 *   <li>{@link io.bitnet4j.tokenizer.ChatTemplate} renders a list of
 *       {@link io.bitnet4j.tokenizer.ChatMessage}s in the LLaMA 3, BitNet 2B-4T or Llama 2 format.</li>
 * </ul>
 */
package io.bitnet4j.tokenizer;
