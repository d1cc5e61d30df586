package io.bitnet4j.model;

/** How the attention cache stores keys and values. */
public enum KvCacheType {
    /** float32: exact. */
    F32,
    /** IEEE half precision, rounded to nearest even on store: llama.cpp's and bitnet.cpp's default. */
    F16
}
