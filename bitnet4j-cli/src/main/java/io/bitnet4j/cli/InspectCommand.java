package io.bitnet4j.cli;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufValueType;
import io.bitnet4j.gguf.I2sLayoutMark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j inspect FILE [--json]}: what a GGUF file holds. Metadata in file order (long arrays
 * summarised by type, length and first elements; long strings cut), a tensor table with shapes in ggml
 * order ({@code ne[0]}, the row length, first), totals and storage bits per weight, overall and per type.
 * A malformed file fails with the reader's one-line message naming the field and byte offset.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a GGUF file's metadata, tensors and bits per weight.")
final class InspectCommand implements Callable<Integer> {
    /** Array elements shown before "…". */
    static final int ARRAY_PREVIEW = 8;
    private static final int STRING_PREVIEW = 96;
    private static final int ELEMENT_PREVIEW = 24;

    @Parameters(paramLabel = "FILE", description = "The GGUF file.")
    Path file;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try (GgufFile f = GgufFile.open(file)) {
            if (json) {
                out.println(InspectJson.render(f));
            } else {
                printText(f, out);
            }
        }
        out.flush();
        return 0;
    }

    private static void printText(GgufFile f, PrintWriter out) {
        out.printf("%s: GGUF v%d, %,d bytes, alignment %d, data at byte %,d%n",
                f.path(), f.version(), f.fileSize(), f.alignment(), f.dataOffset());

        GgufMetadata md = f.metadata();
        out.printf("%nmetadata (%d keys)%n", md.size());
        int keyWidth = md.keys().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, GgufValue> e : md.asMap().entrySet()) {
            GgufValue v = e.getValue();
            out.printf("  %-" + keyWidth + "s  %-14s %s%n", e.getKey(), GgufMetadata.describeType(v), preview(v));
        }

        out.printf("%ntensors (%d)%n", f.tensors().size());
        if (!f.tensors().isEmpty()) {
            int nameWidth = Math.max(4, f.tensors().stream().mapToInt(t -> t.name().length()).max().orElse(0));
            String row = "  %-" + nameWidth + "s  %-7s  %-20s  %12s  %12s%n";
            out.printf(row, "name", "type", "shape (ggml)", "bytes", "offset");
            for (GgufTensor t : f.tensors()) {
                out.printf(row, t.name(), t.type(), shape(t), String.format("%,d", t.byteSize()), String.format("%,d", t.offset()));
            }
        }

        TensorTotals all = TensorTotals.of(f.tensors());
        out.printf("%ntotal: %d tensors, %,d parameters, %,d bytes, %.4f bits per weight%n",
                all.tensors(), all.parameters(), all.bytes(), all.bitsPerWeight());
        for (Map.Entry<GgmlType, TensorTotals> e : TensorTotals.byType(f.tensors()).entrySet()) {
            TensorTotals t = e.getValue();
            out.printf("  %-7s %4d tensors  %,15d parameters  %,15d bytes  %8.4f bits per weight%n",
                    e.getKey(), t.tensors(), t.parameters(), t.bytes(), t.bitsPerWeight());
        }
        if (f.tensors().stream().anyMatch(t -> t.type() == GgmlType.I2_S)) {
            // the file cannot say which of bitnet.cpp's layouts it holds unless bitnet4j wrote it (docs/convert.md)
            out.println(I2sLayoutMark.marksArm(md)
                    ? "I2_S layout: ARM (marked by bitnet4j i2s-layout; rewrite it --to x86 to run it here)"
                    : "I2_S layout: read as x86 (files bitnet.cpp quantized on ARM are laid out otherwise: bitnet4j i2s-layout --to x86)");
        }
    }

    static String shape(GgufTensor t) {
        return Arrays.stream(t.dims()).mapToObj(Long::toString).collect(Collectors.joining(" x "));
    }

    /** One line: scalars as they are, strings quoted and cut, arrays as length and first elements. */
    static String preview(GgufValue v) {
        return switch (v) {
            case GgufValue.Scalar s -> s.toString();
            case GgufValue.Text t -> quote(t.value(), STRING_PREVIEW);
            case GgufArray a -> {
                StringBuilder b = new StringBuilder().append(a.length()).append(a.length() == 0 ? "" : ": ");
                int shown = Math.min(a.length(), ARRAY_PREVIEW);
                for (int i = 0; i < shown; i++) {
                    b.append(i > 0 ? ", " : "");
                    b.append(a.elementType() == GgufValueType.STRING ? quote(a.getString(i), ELEMENT_PREVIEW) : a.get(i).toString());
                }
                yield b.append(a.length() > shown ? ", …" : "").toString();
            }
        };
    }

    /** {@code s} in double quotes with control characters escaped, cut to {@code max} characters. */
    static String quote(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) : s;
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        return s.length() > max ? b + "… (" + s.length() + " chars)" : b.toString();
    }
}
