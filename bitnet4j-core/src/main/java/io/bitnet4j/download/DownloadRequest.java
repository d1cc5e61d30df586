package io.bitnet4j.download;

import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What to download and how.
 *
 * @param source an http, https or file URL (see {@link ModelSource#resolve})
 * @param target the file to create; the download goes to {@code target + ".part"} first
 * @param sha256 the expected SHA-256 as 64 hex digits (stored lower case), or null for no check
 * @param overwrite replace {@code target} if it exists (otherwise an existing file is an error)
 * @param requireGguf refuse a file that does not start with the GGUF magic (an HTML error page, say)
 */
public record DownloadRequest(URI source, Path target, String sha256, boolean overwrite, boolean requireGguf) {
    public DownloadRequest {
        if (source == null || target == null) {
            throw new IllegalArgumentException("a download needs a source URL and a target file");
        }
        ModelSource.requireSupported(source);
        if (sha256 != null) {
            String hex = sha256.strip().toLowerCase(Locale.ROOT);
            if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
                throw new IllegalArgumentException("expected SHA-256 '" + sha256 + "' is not 64 hex digits");
            }
            sha256 = hex;
        }
    }

    /** {@code source} into {@code target}: no checksum, no overwriting, GGUF required. */
    public static DownloadRequest of(URI source, Path target) {
        return new DownloadRequest(source, target, null, false, true);
    }

    public DownloadRequest withSha256(String hex) {
        return new DownloadRequest(source, target, hex, overwrite, requireGguf);
    }

    public DownloadRequest withOverwrite(boolean replace) {
        return new DownloadRequest(source, target, sha256, replace, requireGguf);
    }

    public DownloadRequest withRequireGguf(boolean require) {
        return new DownloadRequest(source, target, sha256, overwrite, require);
    }

    /** The partial file a download writes to and resumes from. */
    public Path partFile() {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".part");
    }
}
