package io.bitnet4j;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where {@link BitNet#load} keeps a model's repacked ternary layouts ({@link io.bitnet4j.kernel.LayoutCache}) and how
 * much of the disk it may take.
 *
 * @param directory         the directory of cache files, or null: no cache (every load repacks)
 * @param minLayoutBytes    a model whose layouts are smaller is not written (its repack takes milliseconds)
 * @param maxDirectoryBytes after writing, the least recently used cache files in the directory are deleted until its
 *                          cache files take no more than this ({@link Long#MAX_VALUE}: never)
 */
public record LayoutCacheSettings(Path directory, long minLayoutBytes, long maxDirectoryBytes) {
    /** No cache. */
    public static final LayoutCacheSettings OFF = new LayoutCacheSettings(null, 0, Long.MAX_VALUE);

    /** The default's smallest model worth a file: a 2B model's layouts are 0.47 GB, a 125M one's about 30 MB. */
    public static final long DEFAULT_MIN_LAYOUT_BYTES = 64L << 20;

    /** The default's cap on the directory: about eight 2B-model arrangements. */
    public static final long DEFAULT_MAX_DIRECTORY_BYTES = 4L << 30;

    public LayoutCacheSettings {
        if (minLayoutBytes < 0 || maxDirectoryBytes < 0) {
            throw new IllegalArgumentException("layout cache limits must not be negative: " + minLayoutBytes + ", " + maxDirectoryBytes);
        }
    }

    /** A cache in {@code directory} that keeps every model and is never trimmed: what naming a directory asks for. */
    public static LayoutCacheSettings in(Path directory) {
        return new LayoutCacheSettings(Objects.requireNonNull(directory, "directory"), 0, Long.MAX_VALUE);
    }

    /** {@code off} or blank: {@link #OFF}; anything else names a directory ({@link #in}). */
    public static LayoutCacheSettings parse(String value) {
        String v = value == null ? "" : value.trim();
        return v.isEmpty() || v.equals("off") ? OFF : in(Path.of(v));
    }

    /**
     * The per-user default: {@code $XDG_CACHE_HOME/bitnet4j/layouts}, else {@code $HOME/.cache/bitnet4j/layouts}, for
     * models with at least {@link #DEFAULT_MIN_LAYOUT_BYTES} of layouts, the directory capped at
     * {@link #DEFAULT_MAX_DIRECTORY_BYTES}; {@link #OFF} when neither variable names an absolute directory.
     */
    public static LayoutCacheSettings userDefault(Map<String, String> env) {
        Path base = absolute(env.get("XDG_CACHE_HOME"));
        if (base == null) {
            Path home = absolute(env.get("HOME"));
            if (home == null) {
                return OFF;
            }
            base = home.resolve(".cache");
        }
        return new LayoutCacheSettings(base.resolve("bitnet4j").resolve("layouts"), DEFAULT_MIN_LAYOUT_BYTES,
                DEFAULT_MAX_DIRECTORY_BYTES);
    }

    private static Path absolute(String dir) {
        if (dir == null || dir.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(dir);
            return p.isAbsolute() ? p : null; // the XDG rule: a relative value is ignored
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether there is a cache at all. */
    public boolean enabled() {
        return directory != null;
    }
}
