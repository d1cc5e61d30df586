package io.bitnet4j.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens a model in any input format a conversion reads, by what the path is: a {@code .gguf} file; a Hugging Face
 * checkpoint (a directory, a {@code .safetensors} file or {@code model.safetensors.index.json}); or a llama2.c
 * {@code .bin} checkpoint, whose {@code tokenizer.bin} is given or sits beside it.
 */
public final class ModelInputs {
    private ModelInputs() {}

    /**
     * @param tokenizer    a llama2.c tokenizer, for {@code .bin} inputs
     * @param architecture the architecture a Hugging Face checkpoint is to become (other inputs are renamed by the conversion)
     */
    public static ModelSource open(Path input, Optional<Path> tokenizer, Optional<String> architecture, Consumer<String> warnings)
            throws IOException {
        if (!Files.exists(input)) {
            throw new NoSuchFileException(input.toString(), null, "no such file or directory");
        }
        String name = input.getFileName().toString();
        if (Files.isDirectory(input) || name.endsWith(".safetensors") || name.endsWith(".index.json")) {
            return HfCheckpoint.open(input, architecture, warnings);
        }
        if (name.endsWith(".bin")) {
            Path tok = tokenizer.orElse(input.toAbsolutePath().resolveSibling("tokenizer.bin"));
            if (!Files.exists(tok)) {
                throw new IllegalArgumentException("a llama2.c checkpoint needs its tokenizer: " + tok + " does not exist (give it with --tokenizer)");
            }
            return Llama2cCheckpoint.open(input, tok);
        }
        return ModelSource.gguf(input);
    }
}
