package io.bitnet4j.nn;

import io.bitnet4j.tensor.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's linear layers by name, in order, each trainable or frozen: what {@link LayerSwap} rewrites and a
 * trainer iterates. Names are layer names ({@code model.layers.0.self_attn.q_proj}, or a GGUF tensor name without
 * {@code .weight}, {@code blk.0.attn_q}). Methods taking a pattern use {@link NamePattern} globs; a plain name is
 * a pattern too. Not thread-safe.
 */
public final class NamedLayers {
    private final LinkedHashMap<String, Linear> layers = new LinkedHashMap<>();
    private final Set<String> frozen = new HashSet<>();

    /** An empty model; add layers with {@link #add}. */
    public NamedLayers() {}

    /** The layers of {@code layers} in its iteration order, all trainable. */
    public static NamedLayers of(Map<String, ? extends Linear> layers) {
        Checks.requireNonNull(layers, "layer map");
        NamedLayers model = new NamedLayers();
        layers.forEach(model::add);
        return model;
    }

    /** Appends a trainable layer; throws if the name is empty or taken, or the layer is null. */
    public NamedLayers add(String name, Linear layer) {
        Checks.requireNonNull(name, "layer name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("layer name is empty");
        }
        Checks.requireNonNull(layer, "layer " + name);
        if (layers.containsKey(name)) {
            throw new IllegalArgumentException("layer " + name + " is already present");
        }
        layers.put(name, layer);
        return this;
    }

    /** Replaces the layer called {@code name}, keeping its position and its trainable flag. */
    public void set(String name, Linear layer) {
        requirePresent(name);
        Checks.requireNonNull(layer, "layer " + name);
        layers.put(name, layer);
    }

    /** The layer called {@code name}; throws naming it if there is none. */
    public Linear get(String name) {
        requirePresent(name);
        return layers.get(name);
    }

    public boolean contains(String name) {
        return layers.containsKey(name);
    }

    /** The names, in order. */
    public List<String> names() {
        return List.copyOf(layers.keySet());
    }

    public int size() {
        return layers.size();
    }

    /** A read-only view of the layers, in order. */
    public Map<String, Linear> asMap() {
        return Collections.unmodifiableMap(layers);
    }

    /** The names that {@code pattern} matches, in order. */
    public List<String> matching(String pattern) {
        NamePattern p = NamePattern.of(pattern);
        List<String> out = new ArrayList<>();
        for (String name : layers.keySet()) {
            if (p.matches(name)) {
                out.add(name);
            }
        }
        return out;
    }

    public boolean isTrainable(String name) {
        requirePresent(name);
        return !frozen.contains(name);
    }

    /** Freezes the layers {@code pattern} matches; returns how many it matched (0 means a likely typo). */
    public int freeze(String pattern) {
        List<String> names = matching(pattern);
        frozen.addAll(names);
        return names.size();
    }

    /** Makes the layers {@code pattern} matches trainable; returns how many it matched. */
    public int unfreeze(String pattern) {
        List<String> names = matching(pattern);
        names.forEach(frozen::remove);
        return names.size();
    }

    /** All parameters, counted as a float model would. */
    public long parameterCount() {
        return layers.values().stream().mapToLong(Linear::parameterCount).sum();
    }

    /** Parameters of the trainable layers. */
    public long trainableParameterCount() {
        return layers.entrySet().stream().filter(e -> !frozen.contains(e.getKey()))
                .mapToLong(e -> e.getValue().parameterCount()).sum();
    }

    /** Bytes the layers occupy now ({@link Linear#memoryBytes()}: less once quantized). */
    public long memoryBytes() {
        return layers.values().stream().mapToLong(Linear::memoryBytes).sum();
    }

    /** Bytes the same parameters would take as float32: the size before quantization. */
    public long float32Bytes() {
        return 4L * parameterCount();
    }

    private void requirePresent(String name) {
        if (!layers.containsKey(name)) {
            throw new IllegalArgumentException("no layer named " + name);
        }
    }

    @Override
    public String toString() {
        return "NamedLayers(" + layers.size() + " layers, " + parameterCount() + " parameters)";
    }
}
