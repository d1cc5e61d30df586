package io.bitnet4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The output file and progress options of the commands that write a model. */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output GGUF file (written to a temporary file, then renamed).")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar (there is none anyway when stderr is not a terminal).")
    boolean quiet;
}
