package io.bitnet4j.convert;

import io.bitnet4j.nn.NamePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Which tensors post-training quantization ternarizes: {@code all} linear weights (attention and FFN, dense and
 * per-expert), only the mixture-of-experts {@code experts}, or a comma-separated list of name globs
 * ({@link NamePattern} syntax, matched against the GGUF name with or without its {@code .weight} suffix, e.g.
 * {@code blk.*.ffn_*} or {@code attn_q,attn_k}). Norms and other one-dimensional tensors are never selected.
 */
public final class LayerSelection {
    private final String spec;
    private final List<NamePattern> patterns;

    private LayerSelection(String spec, List<NamePattern> patterns) {
        this.spec = spec;
        this.patterns = patterns;
    }

    /** Parses {@code all}, {@code experts} or a comma-separated list of globs. */
    public static LayerSelection parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the layer selection is empty; use all, experts or name patterns");
        }
        if (s.equals("all") || s.equals("experts")) {
            return new LayerSelection(s, List.of());
        }
        List<NamePattern> patterns = new ArrayList<>();
        for (String p : s.split(",")) {
            if (!p.isBlank()) {
                patterns.add(NamePattern.of(p.strip()));
            }
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("the layer selection '" + spec + "' holds no pattern");
        }
        return new LayerSelection(s, patterns);
    }

    /** Whether tensor {@code name} with ggml dims {@code dims} is to be ternarized. */
    public boolean selects(String name, long[] dims) {
        TensorRole role = TensorRole.of(name, dims);
        if (role == TensorRole.NORM) {
            return false;
        }
        return switch (spec) {
            case "all" -> role == TensorRole.LINEAR;
            case "experts" -> TensorRole.isExpert(name);
            default -> {
                String layer = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name;
                yield patterns.stream().anyMatch(p -> p.matches(name) || p.matches(layer));
            }
        };
    }

    @Override
    public String toString() {
        return spec;
    }
}
