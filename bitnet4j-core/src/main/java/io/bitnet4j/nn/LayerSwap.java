package io.bitnet4j.nn;

import io.bitnet4j.quant.BitNetConfig;
import io.bitnet4j.tensor.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a float model into a BitNet one: replaces the {@link FloatLinear} layers of a {@link NamedLayers} whose
 * names match the targets by {@link BitLinear}s quantized with a {@link BitNetConfig}, keeping their order and
 * trainable flags. Embeddings, norms and the LM head are not linear targets and stay float, as in BitNet.
 *
 * <p>Targets are {@link NamePattern} globs. The defaults, {@link #DEFAULT_TARGETS}, name the attention and MLP
 * projections by their final name component in the usual spellings: Hugging Face ({@code q_proj … down_proj}),
 * GGUF ({@code attn_q … ffn_down}) and Meta / llama2.c ({@code wq wk wv wo w1 w2 w3}).
 */
public final class LayerSwap {
    private LayerSwap() {}

    /** The attention (q, k, v, o) and MLP (gate, up, down) projections in HF, GGUF and Meta spellings. */
    public static final List<String> DEFAULT_TARGETS = List.of(
            "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
            "attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down",
            "wq", "wk", "wv", "wo", "w1", "w2", "w3");

    /**
     * What a swap did.
     *
     * @param swapped          the names now holding a BitLinear, in model order
     * @param skipped          names a target matched whose layer is not a FloatLinear (already quantized, or a
     *                         layer type whose float weights cannot be read), left as they were
     * @param unmatchedTargets targets that matched no layer (for the defaults, spellings this model doesn't use)
     * @param bytesBefore      the model's {@link NamedLayers#memoryBytes()} before the swap
     * @param bytesAfter       and after
     */
    public record Report(List<String> swapped, List<String> skipped, List<String> unmatchedTargets, long bytesBefore,
            long bytesAfter) {}

    /** Swaps the layers matching {@link #DEFAULT_TARGETS}. */
    public static Report toBitLinear(NamedLayers model, BitNetConfig config) {
        return toBitLinear(model, config, DEFAULT_TARGETS);
    }

    /**
     * Swaps the FloatLinear layers matching any of {@code targets}. All replacements are built before any is
     * installed, so if one layer cannot be quantized (e.g. its width is not a multiple of the group size) the
     * model is left unchanged and the exception names that layer.
     */
    public static Report toBitLinear(NamedLayers model, BitNetConfig config, List<String> targets) {
        Checks.requireNonNull(model, "model");
        Checks.requireNonNull(config, "config");
        Checks.requireNonNull(targets, "targets");
        List<NamePattern> patterns = targets.stream().map(NamePattern::of).toList();
        boolean[] used = new boolean[patterns.size()];
        Map<String, BitLinear> replacements = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, Linear> e : model.asMap().entrySet()) {
            String name = e.getKey();
            if (!matchAny(patterns, name, used)) {
                continue;
            }
            if (e.getValue() instanceof FloatLinear layer) {
                replacements.put(name, quantize(name, layer, config));
            } else {
                skipped.add(name);
            }
        }
        long before = model.memoryBytes();
        replacements.forEach(model::set);
        List<String> unmatched = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                unmatched.add(targets.get(i));
            }
        }
        return new Report(List.copyOf(replacements.keySet()), List.copyOf(skipped), List.copyOf(unmatched), before,
                model.memoryBytes());
    }

    /** Whether any pattern matches, marking every one that does. */
    private static boolean matchAny(List<NamePattern> patterns, String name, boolean[] used) {
        boolean any = false;
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matches(name)) {
                used[i] = true;
                any = true;
            }
        }
        return any;
    }

    private static BitLinear quantize(String name, FloatLinear layer, BitNetConfig config) {
        try {
            return BitLinear.fromFloat(layer, config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + name + ": " + e.getMessage(), e);
        }
    }
}
