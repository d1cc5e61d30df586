package io.bitnet4j.cli;

import io.bitnet4j.LoadedModel;
import io.bitnet4j.generate.Conversation;
import io.bitnet4j.generate.GenerationSettings;
import io.bitnet4j.generate.PromptTooLongException;
import io.bitnet4j.tokenizer.ChatTemplate;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j chat -m FILE}: a multi-turn conversation over stdin, one message per line, each reply
 * streamed to stdout and ended by a newline. {@code /reset} starts over (keeping the system message),
 * {@code /exit} or the end of input ends it. Works the same with piped input, minus the {@code > } prompt.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chat with a model: one message per line on stdin, replies streamed to stdout. "
                + "/reset starts over, /exit (or end of input) quits. The KV cache is kept between turns.",
            "Without -m: $BITNET4J_MODEL, else models/default.gguf in the bitnet4j directory."})
final class ChatCommand implements Callable<Integer> {

    @Option(names = "--system", paramLabel = "TEXT", description = "System message at the start of the conversation.")
    String system;

    @Option(names = "--chat-template", paramLabel = "NAME",
            description = "Chat format: llama3, bitnet or llama2 (default: the one the model declares or implies).")
    String template;

    @Mixin
    GenerationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<LoadedModel> loaded = options.load(spec);
        if (loaded.isEmpty()) {
            return 1;
        }
        try (LoadedModel m = loaded.get()) {
            ChatTemplate format = template != null ? ChatTemplate.byName(template) : m.chatTemplate().orElseThrow(
                    () -> new IllegalArgumentException("the model declares no chat format bitnet4j knows; "
                            + "choose one with --chat-template llama3|bitnet|llama2"));
            err.println("chat format: " + format.id() + ", seed: " + options.sampling.seed() + "; /reset starts over, /exit quits");
            err.flush();
            try (Conversation chat = new Conversation(m.newGenerator(), format, system)) {
                TurnPreparation preparation = TurnPreparation.start(chat, System.in);
                try {
                    converse(chat, preparation, options.sampling.settings(), err);
                } finally {
                    preparation.await(); // before the conversation closes its session
                }
            }
        }
        return 0;
    }

    private void converse(Conversation chat, TurnPreparation preparation, GenerationSettings settings, PrintWriter err)
            throws IOException {
        PrintWriter out = TextOut.stdout();
        Console console = System.console();
        boolean interactive = console != null && console.isTerminal();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            if (interactive) {
                TextOut.stream(out, "> ");
            }
            String line = in.readLine();
            if (line == null || line.strip().equals("/exit")) {
                return;
            }
            String message = line.strip();
            if (message.isEmpty()) {
                continue;
            }
            preparation.await(); // the conversation is the preparation's until it is done
            if (message.equals("/reset")) {
                chat.reset();
                err.println("(conversation reset)");
                err.flush();
                continue;
            }
            try {
                chat.send(message, settings, chunk -> TextOut.stream(out, chunk));
                out.println();
            } catch (PromptTooLongException e) {
                err.println("bitnet4j chat: " + e.getMessage() + " (/reset starts over; -c sets the context)");
                err.flush();
            }
        }
    }
}
