package io.bitnet4j.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The model used when a command gets no {@code -m}: {@code $BITNET4J_MODEL} if set, else
 * {@code models/default.gguf} in the bitnet4j directory (the checkout the jar was built in: the jar is
 * {@code <dir>/bitnet4j-cli/target/bitnet4j.jar}; the system property {@code bitnet4j.home} overrides that).
 */
final class DefaultModel {
    static final String ENV = "BITNET4J_MODEL";
    static final String RELATIVE = "models/default.gguf";

    private DefaultModel() {}

    /** The default model, empty if there is none; throws if {@code $BITNET4J_MODEL} names a missing file. */
    static Optional<Path> find(Map<String, String> env) throws NoSuchFileException {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(fromEnv, null, "$" + ENV + " names no such file");
            }
            return Optional.of(p);
        }
        return home().map(h -> h.resolve(RELATIVE)).filter(Files::isRegularFile);
    }

    /** The bitnet4j directory: {@code -Dbitnet4j.home}, else three levels above the jar (or classes directory). */
    static Optional<Path> home() {
        String prop = System.getProperty("bitnet4j.home");
        if (prop != null) {
            return Optional.of(Path.of(prop));
        }
        try {
            Path code = Path.of(DefaultModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(code.toAbsolutePath().getParent()).map(Path::getParent).map(Path::getParent);
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            return Optional.empty(); // a code source we cannot place: no bundled model then
        }
    }

    /** What to tell a user who has no model: where we looked and how to get one. */
    static String missingMessage(String command) {
        String looked = home().map(h -> h.resolve(RELATIVE).toString()).orElse(RELATIVE + " (bitnet4j directory unknown)");
        return String.join(System.lineSeparator(),
                "bitnet4j " + command + ": no model given and no default model found.",
                "  Looked at $" + ENV + " (not set) and " + looked + ".",
                "  Pass a GGUF model with -m FILE, or make one:",
                "    ./bitnet4j convert stories15M.bin --type f32 -o model.gguf   from a llama2.c checkpoint (tokenizer.bin beside it)",
                "    ./bitnet4j convert HF_DIR --type i2_s -o model.gguf          from a Hugging Face checkpoint",
                "    ./bitnet4j synth --preset 2b4t --type i2_s -o model.gguf    random weights, BitNet 2B-4T's shape (speed tests only)",
                "  and put it at " + looked + " or in $" + ENV + " to make it the default.");
    }
}
