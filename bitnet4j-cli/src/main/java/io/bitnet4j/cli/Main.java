package io.bitnet4j.cli;

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
        description = "Run, convert, quantize and train BitNet b1.58 ternary language models on the CPU.",
        subcommands = {
            RunCommand.class,
            ChatCommand.class,
            PerplexityCommand.class,
            InspectCommand.class,
            DownloadCommand.class,
            TokenizeCommand.class,
            ConvertCommand.class,
            QuantizeCommand.class,
            SynthCommand.class,
            TrainCommand.class,
            LogitsCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

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
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl.execute(args);
    }
}
