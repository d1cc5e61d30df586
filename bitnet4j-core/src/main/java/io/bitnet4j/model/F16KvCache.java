package io.bitnet4j.model;

import io.bitnet4j.kernel.FloatRows;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A half-precision KV cache: values are rounded to nearest even on store, as ggml's F32→F16 copy does, and widened
 * exactly on read (vectorized where the Vector API is present: {@link FloatRows#widenHalves}).
 */
final class F16KvCache extends KvCache {
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment keys;
    private final MemorySegment values;
    private final FloatRows rows = FloatRows.defaults();

    F16KvCache(int layers, int contextLength, int kvDim, long size) {
        super(layers, contextLength, kvDim);
        this.keys = storage(size, Short.BYTES);
        this.values = storage(size, Short.BYTES);
    }

    @Override
    boolean isF16() {
        return true;
    }

    @Override
    void store(int layer, int position, float[] k, int kOffset, float[] v, int vOffset) {
        long at = 2 * index(layer, position);
        for (int i = 0; i < kvDim; i++) {
            keys.set(HALF, at + 2L * i, Float.floatToFloat16(k[kOffset + i]));
            values.set(HALF, at + 2L * i, Float.floatToFloat16(v[vOffset + i]));
        }
    }

    @Override
    void readKey(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        rows.widenHalves(keys, 2 * (index(layer, position) + from), dst, dstOffset, n);
    }

    @Override
    void readValue(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        rows.widenHalves(values, 2 * (index(layer, position) + from), dst, dstOffset, n);
    }
}
