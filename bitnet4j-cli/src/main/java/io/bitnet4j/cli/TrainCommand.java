package io.bitnet4j.cli;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.kernel.WorkerPool;
import io.bitnet4j.quant.ste.LambdaSchedule;
import io.bitnet4j.tokenizer.TrainedVocabulary;
import io.bitnet4j.train.Checkpoint;
import io.bitnet4j.train.Corpus;
import io.bitnet4j.train.GateActivation;
import io.bitnet4j.train.GgufExport;
import io.bitnet4j.train.Quantization;
import io.bitnet4j.train.Schedule;
import io.bitnet4j.train.TrainMode;
import io.bitnet4j.train.TrainOptions;
import io.bitnet4j.train.TrainPreset;
import io.bitnet4j.train.TrainState;
import io.bitnet4j.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./bitnet4j train --data FILE}: trains a BitNet b1.58 model from scratch and writes it as GGUF. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a small BitNet b1.58 model (llama.cpp's 'bitnet' architecture) on a plain-text file: a BPE "
                    + "tokenizer on the training part, then quantization-aware training (ternary weights, int8 "
                    + "activations, straight-through gradients), or the float baseline, or post-training quantization "
                    + "of it. The last --val-fraction of the text is the validation part, never trained on. Writes "
                    + "checkpoint.bin, tokenizer.gguf, loss.csv, loss.png and model.gguf into --out. See docs/train.md.",
        })
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training text (UTF-8).")
    Path data;

    @Option(names = "--preset", defaultValue = "default", paramLabel = "NAME", description = "default|tiny (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--steps", defaultValue = "700", paramLabel = "N", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--out", defaultValue = "train-out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--mode", defaultValue = "qat", paramLabel = "MODE", description = "qat|float|ptq (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--resume", description = "Continue from --out/checkpoint.bin (pass the same options).")
    boolean resume;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of initialisation and batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--type", defaultValue = "tq2_0", paramLabel = "TYPE", converter = TypeOption.class,
            description = "Weight type of model.gguf: tq2_0|tq1_0|i2_s (default: ${DEFAULT-VALUE}).")
    GgmlType type;

    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default: the preset's).")
    Float lr;

    @Option(names = "--batch", paramLabel = "N", description = "Sequences per batch (default: the preset's).")
    Integer batch;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "S", description = "cosine|two-stage (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup", defaultValue = "50", paramLabel = "N", description = "Learning-rate warm-up steps (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--weight-decay", defaultValue = "0.05", paramLabel = "WD", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--clip", defaultValue = "1.0", paramLabel = "NORM", description = "Global gradient-norm clip, 0 for none (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--lambda-warmup", defaultValue = "0", paramLabel = "N",
            description = "QAT: blend quantization in linearly over N steps (0: quantize from the start; default).")
    long lambdaWarmup;

    @Option(names = "--activation", defaultValue = "silu", paramLabel = "A", description = "FFN activation silu|relu2 (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F", description = "Validation part of the text (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--eval-every", defaultValue = "100", paramLabel = "N", description = "Steps between validations (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--eval-batches", defaultValue = "4", paramLabel = "N", description = "Batches per intermediate validation (default: ${DEFAULT-VALUE}).")
    int evalBatches;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or log lines.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TypeOption.require(type, TypeOption.TERNARY, "--type");
        TrainPreset p = TrainPreset.named(preset);
        TrainMode trainMode = TrainMode.valueOf(mode.toUpperCase(Locale.ROOT));
        PrintWriter stdout = spec.commandLine().getOut();
        Files.createDirectories(out);
        String text = Files.readString(data);
        Path checkpoint = out.resolve("checkpoint.bin");
        Path vocabFile = out.resolve("tokenizer.gguf");
        Corpus corpus;
        TrainState state;
        if (resume) {
            corpus = Corpus.withVocabulary(text, Corpus.loadVocabulary(vocabFile), valFraction);
            state = Checkpoint.load(checkpoint);
            stdout.printf("resuming from %s at step %d%n", checkpoint, state.step());
        } else {
            corpus = Corpus.build(text, p.vocabSize(), valFraction);
            Corpus.saveVocabulary(corpus.vocabulary(), vocabFile);
            state = TrainState.initial(p.shape(corpus.vocabulary().size(), GateActivation.parse(activation)), seed);
        }
        int seqs = batch != null ? batch : p.seqs();
        float peak = lr != null ? lr : p.lr();
        Schedule.Kind kind = Schedule.Kind.valueOf(schedule.toUpperCase(Locale.ROOT).replace('-', '_'));
        TrainOptions options = new TrainOptions(trainMode, steps, seqs, new Schedule(kind, peak, 0.1f, Math.min(warmup, steps), steps, weightDecay),
                lambdaWarmup > 0 ? LambdaSchedule.linear(lambdaWarmup) : LambdaSchedule.none(), clip, seed, evalEvery, evalBatches,
                checkpointEvery);
        stdout.printf("%s: %,d training tokens, %,d validation tokens, vocabulary %d; model %,d parameters; %s, %d steps of %d×%d tokens%n",
                data, corpus.data().trainTokens(), corpus.data().validationTokens(), corpus.vocabulary().size(), state.layout().size(),
                trainMode.name().toLowerCase(Locale.ROOT), steps, seqs, state.layout().shape().context());
        stdout.flush();
        try (WorkerPool pool = new WorkerPool(threads != null ? threads : Runtime.getRuntime().availableProcessors());
             TrainProgress progress = new TrainProgress(steps, state.step(), quiet, spec.commandLine().getErr(), out, checkpoint)) {
            Trainer trainer = new Trainer(options, corpus.data(), pool);
            trainer.run(state, progress);
            report(stdout, "validation", trainer.evaluate(state.layout(), state.params(), trainMode.evaluation(), 0));
            if (trainMode != TrainMode.QAT) {
                Quantization other = trainMode == TrainMode.FLOAT ? Quantization.FULL : Quantization.OFF;
                report(stdout, other.enabled() ? "validation after PTQ (ternary + int8)" : "validation in float (no PTQ)",
                        trainer.evaluate(state.layout(), state.params(), other, 0));
            }
        }
        Path model = out.resolve("model.gguf");
        GgufExport.write(state.layout(), state.params(), trainMode != TrainMode.FLOAT, type, corpus.vocabulary().ggufMetadata(),
                "bitnet4j " + preset + " " + trainMode.name().toLowerCase(Locale.ROOT) + " on " + data.getFileName(), model);
        stdout.printf("wrote %s (%s)%n", model, trainMode == TrainMode.FLOAT ? "F16 weights" : type);
        stdout.flush();
        return 0;
    }

    private static void report(PrintWriter out, String what, double loss) {
        out.printf(Locale.ROOT, "%s loss %.4f, perplexity %.3f (per token)%n", what, loss, Math.exp(loss));
        out.flush();
    }
}
