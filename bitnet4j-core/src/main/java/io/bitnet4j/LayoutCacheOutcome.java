package io.bitnet4j;

import java.nio.file.Path;

/**
 * What a load did with its layout cache ({@link LoadedModel#layoutCache()}), for a front end to report.
 *
 * @param status what happened
 * @param file   the cache file (null for {@link Status#NONE})
 * @param bytes  bytes of the model's layouts
 * @param detail why a file was not written ({@link Status#TOO_SMALL}, {@link Status#NOT_WRITTEN}), else empty
 */
public record LayoutCacheOutcome(Status status, Path file, long bytes, String detail) {
    /** What happened to the cache file. */
    public enum Status {
        /** No cache, or a model without repacked tensors. */
        NONE,
        /** Every layout came from the file. */
        MAPPED,
        /** Layouts were repacked and the file written for the next load. */
        WRITTEN,
        /** Layouts were repacked and not written: below the settings' minimum, not worth a file. */
        TOO_SMALL,
        /** Layouts were repacked and not written: too little room on the disk, or a write error ({@code detail}). */
        NOT_WRITTEN
    }

    static final LayoutCacheOutcome NONE = new LayoutCacheOutcome(Status.NONE, null, 0, "");
}
