package io.bitnet4j.cli;

import io.bitnet4j.format.I2sArm;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.gguf.I2sLayoutMark;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j i2s-layout --to arm|x86 IN -o OUT}: rewrites a model's I2_S tensors between bitnet.cpp's x86 and
 * ARM layouts ({@link I2sArm}); everything else is copied byte for byte. To ARM, the output carries
 * {@link I2sLayoutMark#KEY}, so that bitnet4j refuses it rather than run shuffled weights; to x86, the key goes.
 */
@Command(name = "i2s-layout", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Rewrite a GGUF file's I2_S tensors between bitnet.cpp's two layouts: x86 (runs of 128 weights; what "
                    + "bitnet4j, bitnet.cpp's converters and Microsoft's published models use) and ARM (runs of 64, "
                    + "which bitnet.cpp's quantizer writes when built for ARM, since November 2025).",
            "",
            "Nothing in a file says which layout it holds. --to x86 reads the input as ARM (a file bitnet.cpp "
                    + "quantized on an ARM machine, or one this command wrote); --to arm writes a file for bitnet.cpp "
                    + "on ARM and marks it, so that bitnet4j will not run it until it is rewritten back. See "
                    + "docs/convert.md.",
        })
final class I2sLayoutCommand implements Callable<Integer> {
    /** Bytes converted at a time: a multiple of a span's 32 bytes. */
    private static final int CHUNK = 1 << 20;

    @Parameters(paramLabel = "IN", description = "The GGUF file.")
    Path input;

    @Mixin
    OutputOptions out;

    @Option(names = "--to", required = true, paramLabel = "LAYOUT", description = "The layout to write: x86 or arm.")
    String to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        boolean toArm = switch (to) {
            case "arm" -> true;
            case "x86" -> false;
            default -> throw new IllegalArgumentException("--to " + to + ": use x86 or arm");
        };
        if (!Files.isRegularFile(input)) {
            throw new NoSuchFileException(input.toString(), null, "no such file");
        }
        PrintWriter log = spec.commandLine().getOut();
        int converted = 0;
        long weights = 0;
        try (GgufFile f = GgufFile.open(input)) {
            if (toArm && I2sLayoutMark.marksArm(f.metadata())) {
                throw new IllegalArgumentException(input + " is marked as ARM layout already (key " + I2sLayoutMark.KEY + ")");
            }
            for (GgufTensor t : f.tensors()) {
                if (t.type() == GgmlType.I2_S && t.nElements() % I2sArm.SPAN != 0) {
                    throw new IllegalArgumentException("tensor '" + t.name() + "' (I2_S): " + t.nElements()
                            + " weights; both layouts need a multiple of " + I2sArm.SPAN);
                }
            }
            try (GgufWriter w = GgufWriter.create(out.output)) {
                for (Map.Entry<String, GgufValue> e : f.metadata().asMap().entrySet()) {
                    if (!e.getKey().equals(I2sLayoutMark.KEY)) {
                        w.put(e.getKey(), e.getValue());
                    }
                }
                if (toArm) {
                    w.put(I2sLayoutMark.KEY, GgufValue.string(I2sLayoutMark.ARM));
                }
                for (GgufTensor t : f.tensors()) {
                    w.addTensor(t.name(), t.type(), t.dims());
                }
                for (GgufTensor t : f.tensors()) {
                    if (t.type() != GgmlType.I2_S) {
                        w.writeTensor(t.name(), t.data());
                        continue;
                    }
                    writeRelaidOut(w, t, toArm);
                    converted++;
                    weights += t.nElements();
                }
                w.finish();
            }
        }
        log.printf("%s: %d I2_S tensors (%,d weights) rewritten in the %s layout, other tensors copied%n",
                out.output, converted, weights, toArm ? "ARM" : "x86");
        log.flush();
        return 0;
    }

    /** The tensor's codes in the other layout, chunk by chunk, then its tail (scale and padding) as it was. */
    private static void writeRelaidOut(GgufWriter w, GgufTensor t, boolean toArm) throws IOException {
        MemorySegment data = t.data();
        long codes = t.nElements() / 4;
        w.writeTensor(t.name(), channel -> {
            byte[] src = new byte[CHUNK];
            byte[] dst = new byte[CHUNK];
            for (long at = 0; at < codes; at += CHUNK) {
                int n = (int) Math.min(CHUNK, codes - at);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, src, 0, n);
                if (toArm) {
                    I2sArm.fromX86(src, 0, dst, 0, 4L * n);
                } else {
                    I2sArm.toX86(src, 0, dst, 0, 4L * n);
                }
                writeFully(channel, ByteBuffer.wrap(dst, 0, n));
            }
            writeFully(channel, ByteBuffer.wrap(data.asSlice(codes).toArray(ValueLayout.JAVA_BYTE)));
        });
    }

    private static void writeFully(java.nio.channels.WritableByteChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
