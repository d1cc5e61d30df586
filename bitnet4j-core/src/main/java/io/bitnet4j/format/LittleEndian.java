package io.bitnet4j.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian reads and writes of scalars inside byte arrays, the byte order of every file format in
 * this package. Callers check offsets first, so an out-of-range offset here is a bug in this package.
 */
final class LittleEndian {
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    static float getFloat(byte[] data, int offset) {
        return (float) FLOAT.get(data, offset);
    }

    static void putFloat(byte[] data, int offset, float value) {
        FLOAT.set(data, offset, value);
    }

    static short getShort(byte[] data, int offset) {
        return (short) SHORT.get(data, offset);
    }

    static void putShort(byte[] data, int offset, short value) {
        SHORT.set(data, offset, value);
    }
}
