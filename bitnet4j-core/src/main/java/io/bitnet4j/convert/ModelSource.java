package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.I2sLayoutMark;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model opened for conversion: GGUF metadata (in order, as it will be written) and its tensors, whatever the input
 * format. Closing it releases the files it maps.
 */
public final class ModelSource implements AutoCloseable {
    private final String description;
    private final Map<String, GgufValue> metadata;
    private final List<SourceTensor> tensors;
    private final List<AutoCloseable> resources;

    /**
     * @param description what was opened, for messages (a path)
     * @param metadata    GGUF metadata in order (copied)
     * @param tensors     the tensors in output order (copied)
     * @param resources   closed by {@link #close()}
     */
    public ModelSource(String description, Map<String, GgufValue> metadata, List<SourceTensor> tensors, List<? extends AutoCloseable> resources) {
        this.description = description;
        this.metadata = new LinkedHashMap<>(metadata);
        this.tensors = List.copyOf(tensors);
        this.resources = new ArrayList<>(resources);
    }

    /** Opens a GGUF file; its tensors are stored tensors, copied or decoded as the conversion needs. */
    public static ModelSource gguf(java.nio.file.Path path) throws IOException {
        GgufFile f = GgufFile.open(path);
        try {
            I2sLayoutMark.requireX86(path.toString(), f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        List<SourceTensor> tensors = new ArrayList<>();
        for (GgufTensor t : f.tensors()) {
            tensors.add(SourceTensor.stored(t.name(), t.type(), t.dims(), t.data()));
        }
        return new ModelSource(path.toString(), f.metadata().asMap(), tensors, List.of(f));
    }

    public String description() {
        return description;
    }

    /** The metadata (a copy, in order). */
    public Map<String, GgufValue> metadataMap() {
        return new LinkedHashMap<>(metadata);
    }

    /** The metadata as a read-only view with typed getters. */
    public GgufMetadata metadata() {
        return new GgufMetadata(metadata);
    }

    /** {@code general.architecture}, or "" if absent. */
    public String architecture() {
        return metadata().getString("general.architecture", "");
    }

    public List<SourceTensor> tensors() {
        return tensors;
    }

    @Override
    public void close() throws IOException {
        Exception first = null;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first != null) {
            throw new IOException(first);
        }
    }
}
