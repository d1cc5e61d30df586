package io.bitnet4j.gguf;

import java.io.IOException;

/**
 * A GGUF file that breaks the format. The message names the field that is wrong and the byte offset at
 * which it was read, e.g. {@code tensor 3 'blk.0.attn_q.weight': offset 4096 at byte 1234 should be 8192},
 * so that one line says what to look at in a hex dump.
 */
public class GgufFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public GgufFormatException(String message) {
        super(message);
    }

    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
