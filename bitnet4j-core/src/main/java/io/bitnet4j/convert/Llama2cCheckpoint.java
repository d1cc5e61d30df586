package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A llama2.c checkpoint in its legacy format (version 0, as {@code export.py --version 0} and Karpathy's tinyllamas
 * write it): a header of seven int32 ({@code dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len}; a
 * negative vocab size means the classifier is not shared with the embedding), then float32 weights in this order:
 * token embedding {@code [vocab, dim]}, attention RMS norms {@code [layers, dim]}, {@code wq [layers, dim, dim]},
 * {@code wk} and {@code wv [layers, kv_dim, dim]}, {@code wo [layers, dim, dim]}, FFN RMS norms, {@code w1
 * [layers, hidden, dim]}, {@code w2 [layers, dim, hidden]}, {@code w3 [layers, hidden, dim]}, the final norm, two RoPE
 * tables {@code [seq_len, head_size/2]} (unused), and the classifier {@code [vocab, dim]} when not shared.
 *
 * <p>It becomes a {@code llama} model laid out as llama.cpp's {@code llama-convert-llama2c-to-ggml} writes it: the
 * same tensor order and key order, the shared classifier copied to {@code output.weight}, w1/w2/w3 as
 * {@code ffn_gate/ffn_down/ffn_up}. llama2.c rotates adjacent pairs in RoPE, as llama.cpp's {@code llama} does, so
 * no weight is permuted. Two differences from that tool: {@code llama.context_length} is the checkpoint's seq_len
 * (the tool writes a fixed 128), and the separator and padding ids, which the tool writes as 2^32−1 for "none", are
 * left out.
 */
public final class Llama2cCheckpoint {
    /** Header bytes: seven int32. */
    public static final int HEADER_BYTES = 28;

    /** The header. {@code sharedClassifier} is the sign of the stored vocab size. */
    public record Header(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, boolean sharedClassifier, int seqLen) {
        int headSize() {
            return dim / heads;
        }

        int kvDim() {
            return dim / heads * kvHeads;
        }

        /** The float count the weights take. */
        long floats() {
            long d = dim;
            long l = layers;
            long perLayer = 2 * d + 2 * d * d + 2 * d * kvDim() + 3 * d * hiddenDim;
            return (long) vocabSize * d * (sharedClassifier ? 1 : 2) + l * perLayer + d + (long) seqLen * headSize();
        }
    }

    private Llama2cCheckpoint() {}

    /** Opens {@code bin} with its tokenizer {@code tokenizerBin}. */
    public static ModelSource open(Path bin, Path tokenizerBin) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Header h = header(file, bin.getFileName().toString());
            Map<String, GgufValue> md = new LinkedHashMap<>(Llama2cTokenizer.read(tokenizerBin, h.vocabSize()));
            md.put("tokenizer.ggml.model", GgufValue.string("llama"));
            md.put("general.architecture", GgufValue.string("llama"));
            md.put("general.name", GgufValue.string("llama"));
            md.put("tokenizer.ggml.unknown_token_id", GgufValue.u32(0));
            md.put("tokenizer.ggml.bos_token_id", GgufValue.u32(1));
            md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(2));
            md.put("llama.context_length", GgufValue.u32(h.seqLen()));
            md.put("llama.embedding_length", GgufValue.u32(h.dim()));
            md.put("llama.feed_forward_length", GgufValue.u32(h.hiddenDim()));
            md.put("llama.attention.head_count", GgufValue.u32(h.heads()));
            md.put("llama.attention.head_count_kv", GgufValue.u32(h.kvHeads()));
            md.put("llama.block_count", GgufValue.u32(h.layers()));
            md.put("llama.rope.dimension_count", GgufValue.u32(h.headSize()));
            md.put("llama.attention.layer_norm_rms_epsilon", GgufValue.f32(1e-5f));
            return new ModelSource(bin.toString(), md, tensors(file, h), List.of(arena::close));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Reads and checks the header against the file size. */
    static Header header(MemorySegment file, String name) {
        if (file.byteSize() < HEADER_BYTES) {
            throw new IllegalArgumentException(name + ": " + file.byteSize() + " bytes is too short for a llama2.c header (28 bytes)");
        }
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int[] v = new int[7];
        for (int i = 0; i < 7; i++) {
            v[i] = file.get(le, 4L * i);
        }
        String[] names = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
        for (int i = 0; i < 7; i++) {
            if (v[i] == 0 || (v[i] < 0 && i != 5) || v[i] == Integer.MIN_VALUE) {
                throw new IllegalArgumentException(name + ": header field " + names[i] + " is " + v[i] + " (not a llama2.c legacy checkpoint?)");
            }
        }
        Header h = new Header(v[0], v[1], v[2], v[3], v[4], Math.abs(v[5]), v[5] > 0, v[6]);
        if (h.dim() % h.heads() != 0 || h.heads() % h.kvHeads() != 0 || h.headSize() % 2 != 0) {
            throw new IllegalArgumentException(name + ": dim " + h.dim() + ", " + h.heads() + " heads and " + h.kvHeads()
                    + " KV heads do not divide into even heads");
        }
        long need = HEADER_BYTES + 4 * h.floats();
        if (file.byteSize() != need) {
            throw new IllegalArgumentException(name + ": the header " + h + " needs " + need + " bytes, the file has " + file.byteSize()
                    + (file.byteSize() > need ? " (a newer llama2.c export version? only the legacy format is read)" : " (truncated?)"));
        }
        return h;
    }

    private static List<SourceTensor> tensors(MemorySegment file, Header h) {
        long d = h.dim();
        long kv = h.kvDim();
        long hid = h.hiddenDim();
        long l = h.layers();
        Cursor c = new Cursor();
        long embd = c.take((long) h.vocabSize() * d);
        long attnNorm = c.take(l * d);
        long wq = c.take(l * d * d);
        long wk = c.take(l * kv * d);
        long wv = c.take(l * kv * d);
        long wo = c.take(l * d * d);
        long ffnNorm = c.take(l * d);
        long w1 = c.take(l * hid * d);
        long w2 = c.take(l * d * hid);
        long w3 = c.take(l * hid * d);
        long finalNorm = c.take(d);
        c.take((long) h.seqLen() * h.headSize()); // the two RoPE tables
        long classifier = h.sharedClassifier() ? embd : c.take((long) h.vocabSize() * d);

        List<SourceTensor> out = new ArrayList<>();
        out.add(f32(file, "token_embd.weight", embd, d, h.vocabSize()));
        out.add(f32(file, "output_norm.weight", finalNorm, d));
        out.add(f32(file, "output.weight", classifier, d, h.vocabSize()));
        for (int i = 0; i < l; i++) {
            String p = "blk." + i + ".";
            out.add(f32(file, p + "attn_q.weight", wq + 4 * i * d * d, d, d));
            out.add(f32(file, p + "attn_k.weight", wk + 4 * i * kv * d, d, kv));
            out.add(f32(file, p + "attn_v.weight", wv + 4 * i * kv * d, d, kv));
            out.add(f32(file, p + "attn_output.weight", wo + 4 * i * d * d, d, d));
            out.add(f32(file, p + "attn_norm.weight", attnNorm + 4 * i * d, d));
            out.add(f32(file, p + "ffn_gate.weight", w1 + 4 * i * hid * d, d, hid));
            out.add(f32(file, p + "ffn_down.weight", w2 + 4 * i * d * hid, hid, d));
            out.add(f32(file, p + "ffn_up.weight", w3 + 4 * i * hid * d, d, hid));
            out.add(f32(file, p + "ffn_norm.weight", ffnNorm + 4 * i * d, d));
        }
        return out;
    }

    /** An F32 tensor at byte {@code offset} with ggml dims {@code dims}. */
    private static SourceTensor f32(MemorySegment file, String name, long offset, long... dims) {
        long n = 1;
        for (long x : dims) {
            n *= x;
        }
        return SourceTensor.stored(name, GgmlType.F32, dims, file.asSlice(offset, 4 * n));
    }

    /** Hands out consecutive float ranges after the header, as byte offsets. */
    private static final class Cursor {
        private long at = HEADER_BYTES;

        long take(long floats) {
            long start = at;
            at += 4 * floats;
            return start;
        }
    }
}
