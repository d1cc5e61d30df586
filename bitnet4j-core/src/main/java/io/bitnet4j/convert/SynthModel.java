package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.gguf.TensorCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A GGUF model with the exact shape and metadata of a BitNet model ({@link SynthPreset}) and random weights, for
 * benchmarks side by side with llama.cpp and bitnet.cpp (as bitnet.cpp's {@code generate-dummy-bitnet-model.py}).
 *
 * <p>Linear weights are random trits (independent, a third zero) with one plausible scale per tensor
 * ({@code 0.8/√in} give or take a quarter), generated as packed bytes ({@link RandomTernaryBytes}); norms are
 * {@code 1 + 0.02·N(0,1)} in F32; the embedding (and an untied head) F16 draws from {@code N(0, 0.02²)}. A linear
 * weight whose rows the type cannot hold (the 3B model's rows of 3200 in TQ types) is written as F16 ternary values,
 * with a warning. TQ1_0/TQ2_0 files use the preset's llama.cpp architecture, I2_S files bitnet.cpp's. The same seed
 * gives the same file.
 *
 * <p>The vocabulary is copied from a GGUF file if one is given (its token count must be the preset's), else made up
 * ({@link PlaceholderVocab}).
 */
public final class SynthModel {
    private static final int CHUNK = 1 << 20;

    /** Progress in tensor bytes. */
    @FunctionalInterface
    public interface Progress {
        void bytesWritten(long done, long total);
    }

    /** What was written. */
    public record Summary(String architecture, int tensors, long parameters, long bytes) {}

    private record Spec(String name, GgmlType type, long[] dims, Kind kind) {}

    private enum Kind { LINEAR, NORM, EMBEDDING }

    private SynthModel() {}

    /**
     * Writes the model.
     *
     * @param vocabulary tokenizer keys to use (e.g. from {@link Conversion#vocabularyOf}), or empty for a placeholder
     * @param progress   receives the tensor bytes written so far and their total, after each chunk
     */
    public static Summary write(SynthPreset p, GgmlType type, long seed, Optional<Map<String, GgufValue>> vocabulary, Path out,
                                Progress progress, Consumer<String> warnings) throws IOException {
        if (!ConvertOptions.isTernary(type)) {
            throw new IllegalArgumentException("synth writes a ternary type (TQ1_0, TQ2_0 or I2_S), not " + type);
        }
        String arch = type == GgmlType.I2_S ? p.i2sArch() : p.ternaryArch();
        List<Spec> specs = specs(p, type, warnings);
        Map<String, GgufValue> md = metadata(p, arch, type, vocabulary);
        long total = specs.stream().mapToLong(s -> s.type().byteSize(elements(s.dims()))).sum();
        long parameters = specs.stream().mapToLong(s -> elements(s.dims())).sum();
        SplittableRandom root = new SplittableRandom(seed);
        RandomTernaryBytes codes = RandomTernaryBytes.of(type);
        long[] written = {0};
        try (GgufWriter w = GgufWriter.create(out)) {
            md.forEach(w::put);
            for (Spec s : specs) {
                w.addTensor(s.name(), s.type(), s.dims());
            }
            for (Spec s : specs) {
                SplittableRandom random = root.split();
                w.writeTensor(s.name(), channel -> generate(s, codes, random, channel, n -> progress.bytesWritten(written[0] += n, total)));
            }
            w.finish();
        }
        return new Summary(arch, specs.size(), parameters, total);
    }

    private static List<Spec> specs(SynthPreset p, GgmlType type, Consumer<String> warnings) {
        long h = p.hidden();
        long q = (long) p.heads() * p.headDim();
        long kv = (long) p.kvHeads() * p.headDim();
        List<Spec> s = new ArrayList<>();
        s.add(new Spec("token_embd.weight", GgmlType.F16, new long[] {h, p.vocab()}, Kind.EMBEDDING));
        s.add(new Spec("output_norm.weight", GgmlType.F32, new long[] {h}, Kind.NORM));
        for (int l = 0; l < p.layers(); l++) {
            String b = "blk." + l + ".";
            s.add(new Spec(b + "attn_norm.weight", GgmlType.F32, new long[] {h}, Kind.NORM));
            s.add(linear(b + "attn_q.weight", type, h, q, warnings));
            s.add(linear(b + "attn_k.weight", type, h, kv, warnings));
            s.add(linear(b + "attn_v.weight", type, h, kv, warnings));
            if (p.subNorms()) {
                s.add(new Spec(b + "attn_sub_norm.weight", GgmlType.F32, new long[] {h}, Kind.NORM));
            }
            s.add(linear(b + "attn_output.weight", type, q, h, warnings));
            s.add(new Spec(b + "ffn_norm.weight", GgmlType.F32, new long[] {h}, Kind.NORM));
            s.add(linear(b + "ffn_gate.weight", type, h, p.ffn(), warnings));
            s.add(linear(b + "ffn_up.weight", type, h, p.ffn(), warnings));
            if (p.subNorms()) {
                s.add(new Spec(b + "ffn_sub_norm.weight", GgmlType.F32, new long[] {p.ffn()}, Kind.NORM));
            }
            s.add(linear(b + "ffn_down.weight", type, p.ffn(), h, warnings));
        }
        if (!p.tiedEmbedding()) {
            s.add(new Spec("output.weight", GgmlType.F16, new long[] {h, p.vocab()}, Kind.EMBEDDING));
        }
        return s;
    }

    private static Spec linear(String name, GgmlType type, long in, long out, Consumer<String> warnings) {
        if (TensorCodec.of(type).acceptsRowLength(in)) {
            return new Spec(name, type, new long[] {in, out}, Kind.LINEAR);
        }
        if (name.startsWith("blk.0.")) {
            warnings.accept(name.substring("blk.0.".length()) + " of every layer: rows of " + in + " do not fit " + type + "; written as F16 ternary values");
        }
        return new Spec(name, GgmlType.F16, new long[] {in, out}, Kind.LINEAR);
    }

    private static Map<String, GgufValue> metadata(SynthPreset p, String arch, GgmlType type, Optional<Map<String, GgufValue>> vocabulary) {
        Map<String, GgufValue> md = new LinkedHashMap<>(new ModelHparams(arch, p.vocab(), p.context(), p.hidden(), p.layers(), p.ffn(),
                p.heads(), p.kvHeads(), p.rmsEps(), p.ropeTheta(), p.headDim(), p.hiddenAct())
                .metadata("bitnet4j synth " + p.name() + " (random weights)"));
        md.put("general.file_type", GgufValue.u32(FileType.of(type)));
        md.put("general.quantization_version", GgufValue.u32(Conversion.QUANTIZATION_VERSION));
        Map<String, GgufValue> vocab = vocabulary.orElseGet(() -> PlaceholderVocab.of(p.vocab(), p.bos() >= 256 ? p.bos() : p.vocab() - 256));
        if (!(vocab.get("tokenizer.ggml.tokens") instanceof GgufArray tokens) || tokens.length() != p.vocab()) {
            throw new IllegalArgumentException("the vocabulary has " + HfTokenizer.tokenCount(vocab).map(String::valueOf).orElse("no")
                    + " tokens; preset " + p.name() + " needs " + p.vocab());
        }
        md.putAll(vocab);
        return md;
    }

    private static long elements(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Writes one tensor's bytes. */
    private static void generate(Spec s, RandomTernaryBytes codes, SplittableRandom random, WritableByteChannel out, LongConsumer written)
            throws IOException {
        long n = elements(s.dims());
        switch (s.kind()) {
            case NORM -> {
                float[] v = new float[(int) n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (1 + 0.02 * random.nextGaussian());
                }
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                write(out, b.array(), b.capacity(), written);
            }
            case EMBEDDING -> halves(out, n, gaussianHalves(random, 0.02), random, written);
            case LINEAR -> {
                float scale = (float) (0.8 / Math.sqrt(s.dims()[0]) * (0.75 + 0.5 * random.nextDouble()));
                if (s.type() == GgmlType.F16) {
                    short h = Float.floatToFloat16(scale);
                    halves(out, n, new short[] {(short) (h | 0x8000), 0, h}, random, written);
                } else {
                    ternary(out, codes, s.type(), n, scale, random, written);
                }
            }
        }
    }

    private static void ternary(WritableByteChannel out, RandomTernaryBytes bytes, GgmlType type, long n, float scale, SplittableRandom random,
                                LongConsumer written) throws IOException {
        long codeBytes = type == GgmlType.I2_S ? n / 4 : type.byteSize(n);
        int chunk = CHUNK - CHUNK % type.blockBytes();
        byte[] buf = new byte[chunk];
        short scaleBits = Float.floatToFloat16(scale);
        for (long done = 0; done < codeBytes; done += chunk) {
            int len = (int) Math.min(chunk, codeBytes - done);
            bytes.fill(buf, len, scaleBits, random);
            write(out, buf, len, written);
        }
        if (type == GgmlType.I2_S) {
            byte[] tail = new byte[type.trailerBytes()];
            ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).putFloat(scale);
            write(out, tail, tail.length, written);
        }
    }

    /** 4096 fp16 values from N(0, std²), to draw from. */
    private static short[] gaussianHalves(SplittableRandom random, double std) {
        short[] t = new short[4096];
        for (int i = 0; i < t.length; i++) {
            t[i] = Float.floatToFloat16((float) (random.nextGaussian() * std));
        }
        return t;
    }

    /** {@code n} fp16 values drawn uniformly from {@code values}. */
    private static void halves(WritableByteChannel out, long n, short[] values, SplittableRandom random, LongConsumer written)
            throws IOException {
        byte[] buf = new byte[CHUNK];
        for (long done = 0; done < n; done += CHUNK / 2) {
            int count = (int) Math.min(CHUNK / 2, n - done);
            for (int i = 0; i < count; i += 4) {
                long bits = random.nextLong();
                for (int k = 0; k < 4 && i + k < count; k++) {
                    short h = values[(int) (((bits >>> (16 * k)) & 0xFFFF) * values.length >>> 16)];
                    buf[2 * (i + k)] = (byte) h;
                    buf[2 * (i + k) + 1] = (byte) (h >> 8);
                }
            }
            write(out, buf, 2 * count, written);
        }
    }

    private static void write(WritableByteChannel out, byte[] b, int length, LongConsumer written) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, length);
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        written.accept(length);
    }
}
