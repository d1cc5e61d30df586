/**
 * Downloading model files: {@link io.bitnet4j.download.ModelDownloader} fetches a URL (http, https, file)
 * or a Hugging Face file ({@code hf:OWNER/REPO/FILE}, see {@link io.bitnet4j.download.ModelSource}) into
 * a {@code .part} file, resumes it, checks it, and renames it into place.
 */
package io.bitnet4j.download;
