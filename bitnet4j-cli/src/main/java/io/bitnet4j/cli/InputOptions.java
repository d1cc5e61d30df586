package io.bitnet4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The input model of convert and quantize. */
final class InputOptions {
    @Parameters(paramLabel = "IN", description = "Input: GGUF file, Hugging Face checkpoint (directory, .safetensors or its index), or llama2.c .bin.")
    Path input;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "llama2.c tokenizer.bin (default: tokenizer.bin beside the .bin).")
    Path tokenizer;
}
