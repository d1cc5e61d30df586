package io.bitnet4j.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory of {@link LayoutCache} files as a least-recently-used store: a cache file's modification time says
 * when a load last used it ({@link #markUsed}), and {@link #trim} deletes the oldest beyond a size cap. Kept apart from
 * {@link LayoutCache}, which reads and writes one file and knows nothing of its neighbours.
 */
public final class LayoutCacheDirectory {
    /** A temporary file older than this is a leftover of a write that was killed, not one in progress. */
    private static final Duration STALE_TEMPORARY = Duration.ofHours(1);

    private LayoutCacheDirectory() {}

    /**
     * Marks {@code file} as just used (its modification time), so that {@link #trim} deletes it after the caches that
     * were used less recently. A file that cannot be touched is left as it is.
     */
    static void markUsed(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException | RuntimeException e) {
            // only the order of eviction depends on it
        }
    }

    /**
     * Deletes the least recently used cache files ({@code *.lut}, by modification time) in {@code dir} until those
     * left take at most {@code maxBytes}, never {@code keep}; also the temporary files of writes killed more than an
     * hour ago. Other files are not touched, and a file that cannot be deleted is skipped. Returns the files deleted.
     */
    public static List<Path> trim(Path dir, long maxBytes, Path keep) throws IOException {
        record Found(Path path, long bytes, FileTime modified) {}
        List<Found> caches = new ArrayList<>();
        List<Path> deleted = new ArrayList<>();
        Instant staleBefore = Instant.now().minus(STALE_TEMPORARY);
        String suffix = LayoutCache.SUFFIX;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                try {
                    FileTime modified = Files.getLastModifiedTime(p);
                    if (name.endsWith(suffix) && Files.isRegularFile(p)) {
                        caches.add(new Found(p, Files.size(p), modified));
                    } else if (name.contains(suffix) && name.endsWith(".tmp") && modified.toInstant().isBefore(staleBefore)
                            && Files.deleteIfExists(p)) {
                        deleted.add(p);
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read: skip it
                }
            }
        }
        long total = caches.stream().mapToLong(Found::bytes).sum();
        caches.sort(Comparator.comparing(Found::modified));
        for (Found f : caches) {
            if (total <= maxBytes) {
                break;
            }
            if (keep != null && f.path().toAbsolutePath().normalize().equals(keep.toAbsolutePath().normalize())) {
                continue;
            }
            try {
                if (Files.deleteIfExists(f.path())) {
                    deleted.add(f.path());
                }
                total -= f.bytes(); // gone either way: deleted here or by another process
            } catch (IOException e) {
                // in use or not ours: keep it
            }
        }
        return deleted;
    }
}
