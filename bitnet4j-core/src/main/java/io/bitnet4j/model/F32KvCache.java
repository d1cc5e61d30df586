package io.bitnet4j.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A float32 KV cache. */
final class F32KvCache extends KvCache {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final MemorySegment keys;
    private final MemorySegment values;

    F32KvCache(int layers, int contextLength, int kvDim, long size) {
        super(layers, contextLength, kvDim);
        this.keys = storage(size, Float.BYTES);
        this.values = storage(size, Float.BYTES);
    }

    @Override
    boolean isF16() {
        return false;
    }

    @Override
    void store(int layer, int position, float[] k, int kOffset, float[] v, int vOffset) {
        long at = index(layer, position);
        MemorySegment.copy(k, kOffset, keys, F32, at * Float.BYTES, kvDim);
        MemorySegment.copy(v, vOffset, values, F32, at * Float.BYTES, kvDim);
    }

    @Override
    void readKey(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        MemorySegment.copy(keys, F32, (index(layer, position) + from) * Float.BYTES, dst, dstOffset, n);
    }

    @Override
    void readValue(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        MemorySegment.copy(values, F32, (index(layer, position) + from) * Float.BYTES, dst, dstOffset, n);
    }
}
