package io.bitnet4j.generate;

/** Why a generation ended. */
public enum FinishReason {
    /** The token limit was reached, or the context is full. */
    LENGTH,
    /** A stop string appeared; it and everything after it are left out of the text. */
    STOP,
    /** The model produced an end-of-generation token (EOS, EOT, EOM and the like). */
    EOS
}
