package io.bitnet4j.download;

import java.nio.file.Path;

/**
 * A finished download.
 *
 * @param file the file written (absolute)
 * @param bytes its size
 * @param sha256 its SHA-256, 64 lower-case hex digits
 * @param resumedFrom how many bytes an earlier partial download had already fetched (0 for a fresh one)
 */
public record DownloadResult(Path file, long bytes, String sha256, long resumedFrom) {}
