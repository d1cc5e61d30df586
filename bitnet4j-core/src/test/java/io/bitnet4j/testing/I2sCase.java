package io.bitnet4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * One case of bitnet.cpp's I2_S fixtures ({@code ../shared/fixtures/quant/i2s/<name>/}, see its README): float
 * master weights, the converter's trits and per-tensor scale, activations and bitnet.cpp's matmul output.
 *
 * @param rows      weight rows (outputs)
 * @param cols      weight columns (inputs)
 * @param weights   {@code w_float.f32}, [rows, cols]
 * @param trits     {@code ternary.i8}, [rows, cols]
 * @param ternary   {@code w_ternary.f32}: the converter's dequantized weights
 * @param scale     the float32 scale stored after the packed I2_S codes in {@code w.i2s}
 * @param x         {@code x.f32}, [tokens, cols]
 * @param y         {@code y_i2s_t1.f32}, [tokens, rows]: {@code ggml_mul_mat} with int8 activations
 */
public record I2sCase(int rows, int cols, float[] weights, byte[] trits, float[] ternary, float scale, float[] x, float[] y) {

    /** Loads case {@code name} ({@code w<rows>x<cols>}); skips the calling test if the fixtures are absent. */
    public static I2sCase load(String name) throws IOException {
        Path dir = Fixtures.require("quant/i2s/" + name);
        int cols = Integer.parseInt(name.substring(name.indexOf('x') + 1));
        byte[] trits = Fixtures.readBytes(dir.resolve("ternary.i8"));
        byte[] i2s = Fixtures.readBytes(dir.resolve("w.i2s"));
        float scale = ByteBuffer.wrap(i2s, trits.length / 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        return new I2sCase(trits.length / cols, cols, Fixtures.readF32(dir.resolve("w_float.f32")), trits,
                Fixtures.readF32(dir.resolve("w_ternary.f32")), scale, Fixtures.readF32(dir.resolve("x.f32")),
                Fixtures.readF32(dir.resolve("y_i2s_t1.f32")));
    }

    /** The number of activation rows in {@link #x()}. */
    public int tokens() {
        return x.length / cols;
    }
}
