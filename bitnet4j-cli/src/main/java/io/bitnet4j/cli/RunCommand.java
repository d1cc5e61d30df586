package io.bitnet4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bitnet4j run}: generate text with a model. The inference engine arrives with a later
 * issue; until then this command checks its arguments and says what is missing.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Generate text from a prompt with a GGUF model.")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file (default: the bundled model, once there is one).")
    Path model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "Prompt text.", defaultValue = "")
    String prompt;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).", defaultValue = "128")
    int tokens;

    @Override
    public Integer call() {
        System.err.println("bitnet4j run: text generation is not built yet: the inference engine is the next milestone.");
        System.err.println("  Today bitnet4j provides the BitNet b1.58 quantization library (see README.md).");
        return 1;
    }
}
