package io.bitnet4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each tensor of a {@link ModelShape} lives in one flat {@code float[]}: parameters, gradients and both AdamW
 * moments share this layout, so the optimizer, gradient clipping and checkpoints are single loops over arrays.
 * Tensors carry their GGUF names ({@code token_embd.weight}, {@code blk.N.attn_q.weight}, ...).
 */
public final class ParamLayout {
    /** What a tensor is, which decides its initialisation, weight decay, quantization and GGUF type. */
    public enum Kind { EMBEDDING, NORM, LINEAR }

    /**
     * One tensor: {@code rows × cols} floats from {@code offset}; for a linear layer {@code [out, in]}.
     */
    public record Slot(String name, Kind kind, int offset, int rows, int cols) {
        public int size() {
            return rows * cols;
        }
    }

    /** The tensors of one block. */
    public record Block(Slot attnNorm, Slot q, Slot k, Slot v, Slot attnSubNorm, Slot o, Slot ffnNorm, Slot gate, Slot up,
                        Slot ffnSubNorm, Slot down) {}

    private final ModelShape shape;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> byName = new LinkedHashMap<>();
    private final Slot embedding;
    private final Slot outputNorm;
    private final List<Block> blocks = new ArrayList<>();
    private int size;

    public ParamLayout(ModelShape s) {
        this.shape = s;
        embedding = add("token_embd.weight", Kind.EMBEDDING, s.vocab(), s.dim());
        outputNorm = add("output_norm.weight", Kind.NORM, 1, s.dim());
        for (int l = 0; l < s.layers(); l++) {
            String b = "blk." + l + ".";
            blocks.add(new Block(
                    add(b + "attn_norm.weight", Kind.NORM, 1, s.dim()),
                    add(b + "attn_q.weight", Kind.LINEAR, s.dim(), s.dim()),
                    add(b + "attn_k.weight", Kind.LINEAR, s.kvDim(), s.dim()),
                    add(b + "attn_v.weight", Kind.LINEAR, s.kvDim(), s.dim()),
                    add(b + "attn_sub_norm.weight", Kind.NORM, 1, s.dim()),
                    add(b + "attn_output.weight", Kind.LINEAR, s.dim(), s.dim()),
                    add(b + "ffn_norm.weight", Kind.NORM, 1, s.dim()),
                    add(b + "ffn_gate.weight", Kind.LINEAR, s.ffn(), s.dim()),
                    add(b + "ffn_up.weight", Kind.LINEAR, s.ffn(), s.dim()),
                    add(b + "ffn_sub_norm.weight", Kind.NORM, 1, s.ffn()),
                    add(b + "ffn_down.weight", Kind.LINEAR, s.dim(), s.ffn())));
        }
    }

    private Slot add(String name, Kind kind, int rows, int cols) {
        Slot slot = new Slot(name, kind, size, rows, cols);
        slots.add(slot);
        byName.put(name, slot);
        size += rows * cols;
        return slot;
    }

    public ModelShape shape() {
        return shape;
    }

    /** Every tensor in GGUF order (embedding, output norm, then block by block). */
    public List<Slot> slots() {
        return Collections.unmodifiableList(slots);
    }

    public Slot embedding() {
        return embedding;
    }

    public Slot outputNorm() {
        return outputNorm;
    }

    public Block block(int layer) {
        return blocks.get(layer);
    }

    /** The tensor called {@code name}; throws if there is none. */
    public Slot slot(String name) {
        Slot s = byName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in this model");
        }
        return s;
    }

    /** Total parameter count: the length of every parameter-shaped array. */
    public int size() {
        return size;
    }
}
