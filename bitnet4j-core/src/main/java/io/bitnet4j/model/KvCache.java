package io.bitnet4j.model;

import io.bitnet4j.kernel.OffHeap;
import java.lang.foreign.MemorySegment;

/**
 * The keys and values of every layer and position of one session, {@code [layer][position][kvDim]}.
 * Attention copies them out as floats ({@link #readKey}, {@link #readValue}), so the storage type stays hidden.
 * The storage is zeroed off-heap memory ({@link OffHeap#allocateZeroed}), whose pages take physical memory only
 * once a position is written: a session sized for 4096 positions that uses 600 holds 600 positions' worth.
 */
abstract sealed class KvCache permits F32KvCache, F16KvCache {
    final int layers;
    final int contextLength;
    final int kvDim;

    KvCache(int layers, int contextLength, int kvDim) {
        this.layers = layers;
        this.contextLength = contextLength;
        this.kvDim = kvDim;
    }

    static KvCache create(KvCacheType type, int layers, int contextLength, int kvDim) {
        long n = (long) layers * contextLength * kvDim;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a KV cache of " + layers + " layers × " + contextLength + " positions × " + kvDim
                    + " values is too large for one array; use a shorter context");
        }
        return switch (type) {
            case F32 -> new F32KvCache(layers, contextLength, kvDim, n);
            case F16 -> new F16KvCache(layers, contextLength, kvDim, n);
        };
    }

    /** Whether stored values are rounded to f16 (so attention rounds Q to f16 too, as ggml does). */
    abstract boolean isF16();

    /** Stores the key {@code k[kOffset..]} and value {@code v[vOffset..]} ({@code kvDim} values each) of a position. */
    abstract void store(int layer, int position, float[] k, int kOffset, float[] v, int vOffset);

    /**
     * Copies {@code K[layer, position, from .. from+n)} into {@code dst[dstOffset ..]}; {@code from + n} may pass
     * {@code kvDim}, running on into the next positions of the layer.
     */
    abstract void readKey(int layer, int position, int from, float[] dst, int dstOffset, int n);

    /** Copies {@code V[layer, position, from .. from+n)} into {@code dst[dstOffset ..]}, as {@link #readKey} does. */
    abstract void readValue(int layer, int position, int from, float[] dst, int dstOffset, int n);

    /**
     * Copies the keys of positions {@code [0, positions)} of {@code layer} into {@code dst} as floats, position after
     * position ({@code kvDim} values each): a prompt's attention reads every row many times, so it widens them once.
     * A layer's positions follow one another in the storage, so this is one {@link #readKey} over all of them.
     */
    final void readKeys(int layer, int positions, float[] dst) {
        readKey(layer, 0, 0, dst, 0, positions * kvDim);
    }

    /** {@link #readKeys} for the values. */
    final void readValues(int layer, int positions, float[] dst) {
        readValue(layer, 0, 0, dst, 0, positions * kvDim);
    }

    /** The index of the first value of {@code (layer, position)}. */
    final long index(int layer, int position) {
        return ((long) layer * contextLength + position) * kvDim;
    }

    /** Zeroed storage for {@code n} values of {@code bytes} bytes each. */
    static MemorySegment storage(long n, int bytes) {
        return OffHeap.allocateZeroed(n * bytes);
    }
}
