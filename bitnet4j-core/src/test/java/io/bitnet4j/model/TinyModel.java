package io.bitnet4j.model;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TensorCodec;
import io.bitnet4j.testing.SeededArrays;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small random model of one architecture, kept as float weights (for {@link ReferenceForward}) and
 * written as an F32 GGUF file, optionally with one tensor left out or misshapen for the error tests.
 *
 * @param arch       {@code general.architecture}
 * @param dim        embedding length
 * @param layers     block count
 * @param ff         feed-forward length
 * @param heads      attention heads
 * @param kvHeads    KV heads
 * @param vocab      vocabulary size
 * @param context    context length
 * @param ropeDims   rotated dimensions per head
 * @param hiddenAct  {@code <arch>.hidden_activation}, or null for none
 * @param extras     whether linears carry {@code .scale} tensors and the Q/K/V/O projections {@code .bias} ones
 * @param weights    tensor name → values, row-major ({@code [out][in]})
 * @param dims       tensor name → ggml dims
 */
record TinyModel(String arch, int dim, int layers, int ff, int heads, int kvHeads, int vocab, int context, int ropeDims,
        String hiddenAct, boolean extras, Map<String, float[]> weights, Map<String, long[]> dims) {

    static final float EPS = 1e-5f;
    static final float ROPE_BASE = 10000f;

    static TinyModel random(String arch, int heads, int kvHeads, int ropeDims, String hiddenAct, boolean extras, long seed) {
        int dim = 32;
        int ff = 48;
        int vocab = 40;
        int layers = 2;
        int headDim = dim / heads;
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, long[]> d = new LinkedHashMap<>();
        long[] s = {seed};
        put(w, d, "token_embd.weight", vocab, dim, 0.5, s);
        put(w, d, "output_norm.weight", 1, dim, -1, s);
        boolean sub = !arch.equals("llama");
        for (int i = 0; i < layers; i++) {
            String b = "blk." + i + ".";
            put(w, d, b + "attn_norm.weight", 1, dim, -1, s);
            linear(w, d, b + "attn_q", heads * headDim, dim, extras, true, s);
            linear(w, d, b + "attn_k", kvHeads * headDim, dim, extras, true, s);
            linear(w, d, b + "attn_v", kvHeads * headDim, dim, extras, true, s);
            if (sub) {
                put(w, d, b + "attn_sub_norm.weight", 1, heads * headDim, -1, s);
            }
            linear(w, d, b + "attn_output", dim, heads * headDim, extras, true, s);
            put(w, d, b + "ffn_norm.weight", 1, dim, -1, s);
            linear(w, d, b + "ffn_gate", ff, dim, extras, false, s);
            linear(w, d, b + "ffn_up", ff, dim, extras, false, s);
            if (sub) {
                put(w, d, b + "ffn_sub_norm.weight", 1, ff, -1, s);
            }
            linear(w, d, b + "ffn_down", dim, ff, extras, false, s);
        }
        if (arch.equals("llama")) {
            put(w, d, "output.weight", vocab, dim, 0.3, s);
        }
        return new TinyModel(arch, dim, layers, ff, heads, kvHeads, vocab, 64, ropeDims, hiddenAct, extras, w, d);
    }

    private static void linear(Map<String, float[]> w, Map<String, long[]> d, String base, int out, int in, boolean extras,
            boolean bias, long[] seed) {
        put(w, d, base + ".weight", out, in, 1 / Math.sqrt(in), seed);
        if (extras) {
            put(w, d, base + ".scale", 1, 1, -1, seed);
            if (bias) {
                put(w, d, base + ".bias", 1, out, 0.1, seed);
            }
        }
    }

    /** A gaussian tensor of scale {@code scale}, or (scale &lt; 0) a norm-like 1 + 0.1·N(0,1). */
    private static void put(Map<String, float[]> w, Map<String, long[]> d, String name, int rows, int cols, double scale, long[] seed) {
        float[] v = SeededArrays.gaussian(seed[0]++, rows * cols, scale < 0 ? 0.1 : scale);
        if (scale < 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] += 1;
            }
        }
        w.put(name, v);
        d.put(name, rows == 1 ? new long[] {cols} : new long[] {cols, rows});
    }

    int headDim() {
        return dim / heads;
    }

    Path write(Path file) throws IOException {
        return write(file, null, null, w -> { });
    }

    /**
     * Writes the model as F32, without tensor {@code omit} and with tensor {@code reshaped} stored as a
     * transposed matrix (both may be null), after {@code extraMetadata} has had its say.
     */
    Path write(Path file, String omit, String reshaped, Consumer<GgufWriter> extraMetadata) throws IOException {
        return write(file, omit, reshaped, extraMetadata, Set.of());
    }

    /** {@link #write(Path, String, String, Consumer)} leaving out the optional keys (after the arch prefix) {@code omitKeys}. */
    Path write(Path file, String omit, String reshaped, Consumer<GgufWriter> extraMetadata, Set<String> omitKeys) throws IOException {
        return write(file, omit, reshaped, extraMetadata, omitKeys, Map.of());
    }

    /** Writes the model with the tensors named in {@code types} stored as that (encodable) type, the rest as F32. */
    Path write(Path file, Map<String, GgmlType> types) throws IOException {
        return write(file, null, null, w -> { }, Set.of(), types);
    }

    /** This model with tensor {@code name}'s values replaced. */
    TinyModel with(String name, float[] values) {
        Map<String, float[]> w = new LinkedHashMap<>(weights);
        w.put(name, values);
        return new TinyModel(arch, dim, layers, ff, heads, kvHeads, vocab, context, ropeDims, hiddenAct, extras, w, dims);
    }

    private Path write(Path file, String omit, String reshaped, Consumer<GgufWriter> extraMetadata, Set<String> omitKeys,
            Map<String, GgmlType> types) throws IOException {
        try (GgufWriter g = GgufWriter.create(file)) {
            String p = arch + ".";
            Map<String, GgufValue> keys = new LinkedHashMap<>();
            keys.put("embedding_length", GgufValue.u32(dim));
            keys.put("block_count", GgufValue.u32(layers));
            keys.put("feed_forward_length", GgufValue.u32(ff));
            keys.put("attention.head_count", GgufValue.u32(heads));
            keys.put("attention.head_count_kv", GgufValue.u32(kvHeads));
            keys.put("attention.layer_norm_rms_epsilon", GgufValue.f32(EPS));
            keys.put("rope.dimension_count", GgufValue.u32(ropeDims));
            keys.put("context_length", GgufValue.u32(context));
            if (hiddenAct != null) {
                keys.put("hidden_activation", GgufValue.string(hiddenAct));
            }
            g.put("general.architecture", GgufValue.string(arch));
            keys.forEach((k, v) -> {
                if (!omitKeys.contains(k)) {
                    g.put(p + k, v);
                }
            });
            extraMetadata.accept(g);
            for (var e : weights.entrySet()) {
                if (e.getKey().equals(omit)) {
                    continue;
                }
                long[] d = dims.get(e.getKey());
                if (e.getKey().equals(reshaped)) {
                    d = d.length == 2 ? new long[] {d[1], d[0]} : new long[] {d[0] + 1};
                }
                g.addTensor(e.getKey(), types.getOrDefault(e.getKey(), GgmlType.F32), d);
            }
            for (var e : weights.entrySet()) {
                if (e.getKey().equals(omit)) {
                    continue;
                }
                float[] v = e.getKey().equals(reshaped) && dims.get(e.getKey()).length == 1
                        ? Arrays.copyOf(e.getValue(), e.getValue().length + 1) : e.getValue();
                GgmlType type = types.getOrDefault(e.getKey(), GgmlType.F32);
                if (type != GgmlType.F32) {
                    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
                    TensorCodec.of(type).encode(RowSource.of(e.getKey(), dims.get(e.getKey())[0], v), Channels.newChannel(encoded));
                    g.writeTensor(e.getKey(), encoded.toByteArray());
                    continue;
                }
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                g.writeTensor(e.getKey(), b.array());
            }
            g.finish();
        }
        return file;
    }
}
