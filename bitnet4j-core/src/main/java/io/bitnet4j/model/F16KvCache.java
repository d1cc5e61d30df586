package io.bitnet4j.model;

/** A half-precision KV cache: values are rounded to nearest even on store, as ggml's F32→F16 copy does. */
final class F16KvCache extends KvCache {
    private final short[] keys;
    private final short[] values;

    F16KvCache(int layers, int contextLength, int kvDim, int size) {
        super(layers, contextLength, kvDim);
        this.keys = new short[size];
        this.values = new short[size];
    }

    @Override
    boolean isF16() {
        return true;
    }

    @Override
    void store(int layer, int position, float[] k, int kOffset, float[] v, int vOffset) {
        int at = index(layer, position);
        for (int i = 0; i < kvDim; i++) {
            keys[at + i] = Float.floatToFloat16(k[kOffset + i]);
            values[at + i] = Float.floatToFloat16(v[vOffset + i]);
        }
    }

    @Override
    void readKey(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        widen(keys, index(layer, position) + from, dst, dstOffset, n);
    }

    @Override
    void readValue(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        widen(values, index(layer, position) + from, dst, dstOffset, n);
    }

    private static void widen(short[] src, int at, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(src[at + i]);
        }
    }
}
