package io.bitnet4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitnet4j.tokenizer.Tokenizer;
import io.bitnet4j.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j tokenize -m FILE (-p TEXT | -f TEXTFILE) [--no-bos] [--parse-special] [--json] [--pieces]}:
 * the token ids of a text, as llama.cpp's tokenizer tests make them. Special-token text is literal unless
 * {@code --parse-special}. Output: the ids on one line; with {@code --pieces} one {@code id -> 'piece'} line
 * per token; with {@code --json} an array of ids, or of {@code {"id", "piece"}} objects with {@code --pieces}
 * (plus {@code "bytes"} when a piece is not valid UTF-8 on its own, e.g. one byte of a multi-byte character).
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the token ids of a text (GGUF vocab or model, llama2.c tokenizer.bin, tiktoken tokenizer.model).")
final class TokenizeCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "A GGUF file (vocab-only or a full model), a llama2.c tokenizer.bin or a LLaMA 3 tiktoken tokenizer.model.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The text to tokenize.")
        String text;

        @Option(names = {"-f", "--file"}, paramLabel = "TEXTFILE", description = "Tokenize this UTF-8 file's content.")
        Path file;
    }

    @Option(names = "--no-bos", description = "Do not add BOS (or EOS) even where the model's metadata asks for it.")
    boolean noBos;

    @Option(names = "--parse-special", description = "Turn the text of special tokens (e.g. <|eot_id|>) into those tokens.")
    boolean parseSpecial;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--pieces", description = "Print each token's piece with its id.")
    boolean pieces;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "no such file");
        }
        String text = input.text != null ? input.text : readUtf8(input.file);
        Tokenizer tokenizer = Tokenizers.load(model);
        int[] ids = tokenizer.encode(text, !noBos, parseSpecial);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(pieces ? piecesJson(tokenizer, ids) : idsJson(ids)));
        } else if (pieces) {
            for (int id : ids) {
                out.println(id + " -> '" + PieceText.escaped(tokenizer.piece(id, true)) + "'");
            }
        } else {
            out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        }
        out.flush();
        return 0;
    }

    private static ArrayNode idsJson(int[] ids) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int id : ids) {
            array.add(id);
        }
        return array;
    }

    private static ArrayNode piecesJson(Tokenizer tokenizer, int[] ids) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int id : ids) {
            byte[] piece = tokenizer.piece(id, true);
            ObjectNode o = array.addObject();
            o.put("id", id);
            o.put("piece", new String(piece, StandardCharsets.UTF_8));
            if (!PieceText.isValidUtf8(piece)) {
                ArrayNode bytes = o.putArray("bytes");
                for (byte b : piece) {
                    bytes.add(b & 0xFF);
                }
            }
        }
        return array;
    }

    /** The file as strict UTF-8; a malformed file is an error naming the byte offset. */
    static String readUtf8(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        CharBuffer out = CharBuffer.allocate(in.remaining());
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = utf8.decode(in, out, true);
        if (result.isError()) {
            throw new IllegalArgumentException(file + " is not valid UTF-8 (at byte " + in.position() + ")");
        }
        utf8.flush(out);
        return out.flip().toString();
    }
}
