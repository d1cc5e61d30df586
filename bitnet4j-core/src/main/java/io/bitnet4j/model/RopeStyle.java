package io.bitnet4j.model;

/** How rotary position embedding pairs the dimensions of a head (ggml's rope modes). */
public enum RopeStyle {
    /** Adjacent pairs {@code (2i, 2i+1)}: llama.cpp's {@code LLAMA_ROPE_TYPE_NORM}, used for {@code llama}. */
    NORM,
    /** Halves {@code (i, i + n_rot/2)}: {@code LLAMA_ROPE_TYPE_NEOX}, used for the BitNet architectures. */
    NEOX
}
