package io.bitnet4j.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./bitnet4j} command. Each subcommand is its own small class in this package; this one
 * only lists them and turns exceptions into one clear line on stderr (the full stack trace only with
 * {@code --debug} or {@code BITNET4J_DEBUG=1}), so a user never sees a crash dump for bad input.
 */
@Command(
        name = "bitnet4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run, convert, quantize and train BitNet b1.58 ternary language models on the CPU.")
public final class Main implements Runnable {
    /** The subcommands, in the order {@code --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            RunCommand.class,
            ChatCommand.class,
            PerplexityCommand.class,
            InspectCommand.class,
            DownloadCommand.class,
            TokenizeCommand.class,
            ConvertCommand.class,
            I2sLayoutCommand.class,
            QuantizeCommand.class,
            SynthCommand.class,
            TrainCommand.class,
            LogitsCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // the main thread computes beside the worker pool's threads: the same lowest priority as theirs (WorkerPool)
        Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (used by tests, which must not call System.exit). */
    public static int execute(String... args) {
        CommandLine cl = commandLine(args);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl.execute(args);
    }

    /**
     * The command line for {@code args}: with only the subcommand that {@code args[0]} names, or with all of them when
     * it names none (no arguments, an option, {@code help}, a typo, which picocli then answers with suggestions).
     * Picocli reads every option of every subcommand it is given, reflectively, when it is built: about 0.15 s of
     * a cold start for all of them, paid by every command before it starts its work.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> named = args.length == 0 ? null : SUBCOMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0]))
                .findFirst().orElse(null);
        for (Class<?> c : SUBCOMMANDS) {
            if (named == null || c == named) {
                cl.addSubcommand(c);
            }
        }
        return cl;
    }
}
