package io.bitnet4j.gguf;

import java.util.Collection;

/**
 * The metadata key with which bitnet4j marks a file whose I2_S tensors it wrote in bitnet.cpp's ARM layout
 * ({@link io.bitnet4j.format.I2sArm}). bitnet.cpp ignores the key; bitnet4j's engine and converters, which read the x86
 * layout, refuse a file that carries it instead of computing with shuffled weights. A file bitnet.cpp quantized on
 * ARM carries no such key: nothing in it tells the layouts apart, so its owner has to say (docs/convert.md).
 */
public final class I2sLayoutMark {
    /** The key: its value names the layout of the file's I2_S tensors. */
    public static final String KEY = "bitnet4j.i2_s.layout";
    /** The value for bitnet.cpp's ARM layout. */
    public static final String ARM = "arm";

    private I2sLayoutMark() {}

    /** Whether {@code m} marks its I2_S tensors as laid out for ARM. */
    public static boolean marksArm(GgufMetadata m) {
        return m.find(KEY).filter(v -> v instanceof GgufValue.Text t && t.value().equals(ARM)).isPresent();
    }

    /**
     * Throws if {@code m} marks I2_S tensors as ARM-laid-out and {@code types} holds I2_S: bitnet4j would read them in
     * the x86 order. {@code what} names the file for the message.
     */
    public static void requireX86(String what, GgufMetadata m, Collection<GgmlType> types) {
        if (marksArm(m) && types.contains(GgmlType.I2_S)) {
            throw new IllegalArgumentException(what + ": its I2_S tensors are in bitnet.cpp's ARM layout (key " + KEY
                    + "); bitnet4j reads the x86 layout. Rewrite it first: bitnet4j i2s-layout --to x86 " + what + " -o OUT");
        }
    }

    /** {@link #requireX86(String, GgufMetadata, Collection)} for an open file. */
    public static void requireX86(String what, GgufFile file) {
        requireX86(what, file.metadata(), file.tensors().stream().map(GgufTensor::type).toList());
    }
}
