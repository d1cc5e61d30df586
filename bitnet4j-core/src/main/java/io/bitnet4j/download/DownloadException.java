package io.bitnet4j.download;

import java.io.IOException;

/**
 * A download that failed for a reason the user can act on: an HTTP error status, a timeout, a dropped
 * connection, a checksum mismatch or a file that is not a model. The message says what happened, to
 * which URL, and what to do.
 */
public final class DownloadException extends IOException {
    /** {@link #status()} when the failure is not an HTTP status. */
    public static final int NO_STATUS = -1;

    private final int status;

    public DownloadException(String message) {
        this(message, NO_STATUS, null);
    }

    public DownloadException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status code that failed the download, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }
}
