package io.bitnet4j.gguf;

import io.bitnet4j.format.BF16;
import io.bitnet4j.format.F16;
import io.bitnet4j.format.Q4_0;
import io.bitnet4j.format.Q4_K;
import io.bitnet4j.format.Q6_K;
import io.bitnet4j.format.Q8_0;
import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/** Which codec reads and writes each {@link GgmlType}: the table behind {@link TensorCodec#of}. */
final class CodecTable {
    /** The smallest bfloat16 magnitude that rounds to infinity: halfway between the largest finite value and 2^128. */
    private static final float BF16_OVERFLOW = Float.intBitsToFloat(0x7F7F8000);

    static final Map<GgmlType, TensorCodec> BY_TYPE = build();

    private CodecTable() {}

    private static Map<GgmlType, TensorCodec> build() {
        Map<GgmlType, TensorCodec> m = new EnumMap<>(GgmlType.class);
        m.put(GgmlType.F32, new BlockCodec(GgmlType.F32, CodecTable::decodeF32, CodecTable::encodeF32, Float.POSITIVE_INFINITY, null));
        m.put(GgmlType.F16, new BlockCodec(GgmlType.F16, F16::decode, F16::encode, F16.OVERFLOW_THRESHOLD, null));
        m.put(GgmlType.BF16, new BlockCodec(GgmlType.BF16, BF16::decode, BF16::encode, BF16_OVERFLOW, null));
        m.put(GgmlType.Q8_0, new BlockCodec(GgmlType.Q8_0, Q8_0::dequantize, Q8_0::quantize, Float.POSITIVE_INFINITY, null));
        m.put(GgmlType.Q4_0, new BlockCodec(GgmlType.Q4_0, Q4_0::dequantize, null, Float.POSITIVE_INFINITY, null));
        m.put(GgmlType.Q4_K, new BlockCodec(GgmlType.Q4_K, Q4_K::dequantize, null, Float.POSITIVE_INFINITY, null));
        m.put(GgmlType.Q6_K, new BlockCodec(GgmlType.Q6_K, Q6_K::dequantize, null, Float.POSITIVE_INFINITY, null));
        m.put(GgmlType.TQ1_0, new BlockCodec(GgmlType.TQ1_0, TQ1_0.FORMAT::dequantize, TQ1_0.FORMAT::quantize,
                Float.POSITIVE_INFINITY, TQ1_0.FORMAT));
        m.put(GgmlType.TQ2_0, new BlockCodec(GgmlType.TQ2_0, TQ2_0.FORMAT::dequantize, TQ2_0.FORMAT::quantize,
                Float.POSITIVE_INFINITY, TQ2_0.FORMAT));
        m.put(GgmlType.I2_S, I2sCodec.INSTANCE);
        return m;
    }

    private static float[] decodeF32(byte[] data, int n) {
        float[] out = new float[n];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static byte[] encodeF32(float[] x) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(x.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(x);
        return b.array();
    }
}
