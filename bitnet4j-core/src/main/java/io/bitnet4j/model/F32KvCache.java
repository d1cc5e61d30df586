package io.bitnet4j.model;

/** A float32 KV cache. */
final class F32KvCache extends KvCache {
    private final float[] keys;
    private final float[] values;

    F32KvCache(int layers, int contextLength, int kvDim, int size) {
        super(layers, contextLength, kvDim);
        this.keys = new float[size];
        this.values = new float[size];
    }

    @Override
    boolean isF16() {
        return false;
    }

    @Override
    void store(int layer, int position, float[] k, int kOffset, float[] v, int vOffset) {
        int at = index(layer, position);
        System.arraycopy(k, kOffset, keys, at, kvDim);
        System.arraycopy(v, vOffset, values, at, kvDim);
    }

    @Override
    void readKey(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        System.arraycopy(keys, index(layer, position) + from, dst, dstOffset, n);
    }

    @Override
    void readValue(int layer, int position, int from, float[] dst, int dstOffset, int n) {
        System.arraycopy(values, index(layer, position) + from, dst, dstOffset, n);
    }
}
