package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;

/**
 * Turns one row of a stored tensor into floats. The plug-in point for storage types that have no kernel
 * of their own: {@link MatrixKernels#withDecoder} makes any decoder a (slower) matrix kernel that
 * dequantizes a weight row and multiplies it in float32.
 */
@FunctionalInterface
public interface RowDecoder {
    /**
     * Decodes row {@code row} ({@code cols} elements) of the tensor whose bytes are {@code data} into
     * {@code dst[dstOffset .. dstOffset+cols)}.
     */
    void decodeRow(MemorySegment data, long row, int cols, float[] dst, int dstOffset);
}
