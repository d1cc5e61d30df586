package io.bitnet4j.cli;

import io.bitnet4j.download.DownloadRequest;
import io.bitnet4j.download.DownloadResult;
import io.bitnet4j.download.ModelDownloader;
import io.bitnet4j.download.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./bitnet4j download URL|hf:OWNER/REPO/FILE [-o FILE] [--sha256 HEX] [--force]}: fetches a model file
 * with {@link ModelDownloader} (resumable {@code .part}, optional checksum, GGUF check, atomic rename) and a
 * progress bar on stderr; prints the file, its size and SHA-256.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a GGUF model from a URL or Hugging Face (hf:OWNER/REPO/FILE, needs internet) into FILE.part, "
                + "resuming an interrupted download, then check it (GGUF magic, optional SHA-256) and rename it to FILE.")
final class DownloadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL", description = "http(s)://…, file:///… or hf:OWNER/REPO/FILE (the file on the main branch).")
    String source;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to save it (default: the URL's file name, here).")
    Path output;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Expected SHA-256; on a mismatch nothing is saved.")
    String sha256;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Option(names = "--any-format", description = "Keep the file even if it is not GGUF (e.g. a .safetensors checkpoint).")
    boolean anyFormat;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up on a connection, a response or a stalled transfer after this long (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar (there is none anyway when stderr is not a terminal).")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
            throw new IllegalArgumentException("--timeout must be in (0, 86400] seconds, not " + timeoutSeconds);
        }
        URI uri = ModelSource.resolve(source);
        Path target = output != null ? output : Path.of(ModelSource.fileName(uri));
        DownloadRequest request = DownloadRequest.of(uri, target).withSha256(sha256).withOverwrite(force).withRequireGguf(!anyFormat);
        ModelDownloader downloader = new ModelDownloader(Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
        DownloadResult r;
        try (Progress progress = Progress.start("download", -1, "MB", 1 << 20, quiet)) {
            r = downloader.download(request, progress::stepTo);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("saved %s: %,d bytes%s, sha256 %s%n", r.file(), r.bytes(),
                r.resumedFrom() > 0 ? " (resumed after " + String.format("%,d", r.resumedFrom()) + ")" : "", r.sha256());
        out.flush();
        return 0;
    }
}
