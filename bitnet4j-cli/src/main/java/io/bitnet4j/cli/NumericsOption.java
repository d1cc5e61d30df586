package io.bitnet4j.cli;

import io.bitnet4j.model.Numerics;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --numerics}: whose rounding steps a command reproduces. Each command has its own default: speed where the
 * output is sampled text or a timing (run, chat, serve, bench: {@code fast}), agreement with the peer where the numbers
 * themselves are the point (perplexity, logits: {@code exact}). See docs/bench.md for the measured cost.
 */
final class NumericsOption {
    @Option(names = "--numerics", paramLabel = "fast|exact|llama.cpp|bitnet.cpp",
            description = "fast = vectorized kernels in their own summation order; exact = the rounding of the peer the model "
                    + "is compared with (bitnet.cpp for bitnet-b1.58 and I2_S models, else llama.cpp); or that peer named "
                    + "(default: fast for run, chat, serve and bench; exact for perplexity and logits).")
    String name;

    /** The numerics asked for, else {@code commandDefault}; null means the model's exact default. */
    Numerics resolve(String commandDefault) {
        return parse(name != null ? name : commandDefault);
    }

    /** The numerics a name means (case-insensitive); null for {@code exact}/{@code auto}, the model's peer. */
    static Numerics parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fast" -> Numerics.FAST;
            case "exact", "auto" -> null;
            case "llama.cpp", "llama_cpp" -> Numerics.LLAMA_CPP;
            case "bitnet.cpp", "bitnet_cpp" -> Numerics.BITNET_CPP;
            default -> throw new IllegalArgumentException(
                    "--numerics must be fast, exact, llama.cpp or bitnet.cpp, not '" + name + "'");
        };
    }

    /** The word for {@code n} as the option spells it ({@code exact} for null). */
    static String label(Numerics n) {
        return n == null ? "exact" : switch (n) {
            case FAST -> "fast";
            case LLAMA_CPP -> "llama.cpp";
            case BITNET_CPP -> "bitnet.cpp";
        };
    }
}
