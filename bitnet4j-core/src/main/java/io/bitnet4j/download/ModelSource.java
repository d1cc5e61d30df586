package io.bitnet4j.download;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Where a model comes from: an {@code http://}, {@code https://} or {@code file://} URL, or the Hugging
 * Face shorthand {@code hf:OWNER/REPO/FILE} for {@code https://huggingface.co/OWNER/REPO/resolve/main/FILE}
 * (the file on the main branch; FILE may name a sub-folder). Hugging Face needs internet access; bitnet4j
 * sends no access token, so gated or private repositories answer 401/403.
 */
public final class ModelSource {
    static final Set<String> SCHEMES = Set.of("http", "https", "file");
    private static final String HF_PREFIX = "hf:";

    private ModelSource() {}

    /** The URL {@code spec} stands for; throws {@link IllegalArgumentException} saying which forms are accepted. */
    public static URI resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no model URL given: use http(s)://…, file://… or hf:OWNER/REPO/FILE");
        }
        String s = spec.strip();
        if (s.startsWith(HF_PREFIX)) {
            return huggingFace(s.substring(HF_PREFIX.length()), spec);
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + spec + "' is not a URL (" + e.getMessage()
                    + "); use http(s)://…, file:///absolute/path or hf:OWNER/REPO/FILE", e);
        }
        requireSupported(uri);
        return uri;
    }

    /** Throws unless {@code uri} is an absolute http, https or file URL with a path. */
    static void requireSupported(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("'" + uri + "': " + (scheme.isEmpty() ? "no scheme" : "unsupported scheme '" + scheme + "'")
                    + "; use http(s)://…, file:///absolute/path or hf:OWNER/REPO/FILE");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || (!scheme.equals("file") && uri.getHost() == null)) {
            throw new IllegalArgumentException("'" + uri + "' names no host or no file");
        }
    }

    private static URI huggingFace(String path, String spec) {
        String[] parts = path.split("/", 3);
        if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty() || parts[2].endsWith("/")) {
            throw new IllegalArgumentException("'" + spec + "' is not hf:OWNER/REPO/FILE (e.g. "
                    + "hf:microsoft/bitnet-b1.58-2B-4T-gguf/ggml-model-i2_s.gguf)");
        }
        try {
            return new URI("https", "huggingface.co", "/" + parts[0] + "/" + parts[1] + "/resolve/main/" + parts[2], null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + spec + "' does not make a URL: " + e.getMessage(), e);
        }
    }

    /** The last segment of the URL's path, as the default name of the downloaded file. */
    public static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("cannot tell a file name from '" + uri + "': name the output file");
        }
        return name;
    }
}
