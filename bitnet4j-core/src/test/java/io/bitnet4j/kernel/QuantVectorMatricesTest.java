package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.Q4_K;
import io.bitnet4j.format.Q8_0;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.TensorCodec;
import io.bitnet4j.testing.SeededArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-place vectorized kernels of Q8_0, Q4_0, Q6_K and Q4_K: bound by {@link VectorKernels}, their kernel-order
 * products against a double-precision product of the weights as the scalar decoder ({@link TensorCodec}) reads them,
 * every weight as the kernel dequantizes it (through one-hot activations), and everything else (other summation
 * orders, embedding rows) identical to the bit with the codec matrix that served these types before.
 */
class QuantVectorMatricesTest {

    @ParameterizedTest(name = "{0} {1}×{2}, {3} tokens, {4} threads")
    @CsvSource({
        "Q8_0, 7, 256, 1, 1", "Q8_0, 5, 96, 2, 1", "Q8_0, 37, 512, 3, 2", "Q8_0, 130, 2560, 2, 2",
        "Q6_K, 7, 256, 1, 1", "Q6_K, 37, 512, 3, 2", "Q6_K, 130, 2560, 2, 2",
        "Q4_K, 7, 256, 1, 1", "Q4_K, 37, 512, 3, 2", "Q4_K, 130, 2560, 2, 2",
        "Q4_0, 7, 256, 1, 1", "Q4_0, 5, 96, 2, 1", "Q4_0, 130, 2560, 2, 2",
    })
    void kernelOrderProductsMatchTheDequantizedWeights(GgmlType type, int rows, int cols, int tokens, int threads) {
        GgufTensor t = Harness.tensor("w", type, rows, cols, randomTensor(type, rows, cols, 5));
        WeightMatrix m = bindVector(t, rows, cols);
        float[] w = decoded(t, rows, cols);
        float[] x = SeededArrays.gaussian(6, tokens * cols, 1);
        float[] got = Harness.multiply(m, x, tokens, ActivationType.F32, KernelOrderReference.FAST, threads);
        KernelOrderReference.assertNear(w, x, rows, cols, tokens, 0, rows, got, type.toString());
        KernelOrderReference.assertRowRangeMatches(m, x, tokens, ActivationType.F32, rows / 3, rows - rows / 4, got);
    }

    /**
     * A prompt's products (row blocks, two tokens per weight unpacking, an odd token alone) are each token's
     * one-token product to the bit, so a batch and token-by-token decoding agree.
     */
    @ParameterizedTest(name = "{0} {1}×{2}, {3} tokens, {4} threads")
    @CsvSource({"Q8_0, 130, 2560, 5, 2", "Q6_K, 300, 512, 4, 1", "Q4_K, 130, 2560, 7, 2", "Q4_0, 40, 8192, 5, 2"})
    void promptProductsAreEachTokensOneTokenProduct(GgmlType type, int rows, int cols, int tokens, int threads) {
        GgufTensor t = Harness.tensor("w", type, rows, cols, randomTensor(type, rows, cols, 11));
        WeightMatrix m = bindVector(t, rows, cols);
        float[] x = SeededArrays.gaussian(12, tokens * cols, 1);
        Harness.assertPromptIsEachTokensProduct(m, x, tokens, ActivationType.F32, KernelOrderReference.FAST, threads);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Q8_0", "Q6_K", "Q4_K", "Q4_0"})
    void theKernelDequantizesEveryWeightExactly(GgmlType type) {
        int rows = 6;
        int cols = 512;
        GgufTensor t = Harness.tensor("w", type, rows, cols, randomTensor(type, rows, cols, 9));
        WeightMatrix m = bindVector(t, rows, cols);
        float[] w = decoded(t, rows, cols);
        float[] oneHot = new float[cols * cols];
        for (int c = 0; c < cols; c++) {
            oneHot[c * cols + c] = 1f; // token c picks column c: each output is one weight times 1 plus zeros
        }
        float[] got = Harness.multiply(m, oneHot, cols, ActivationType.F32, KernelOrderReference.FAST, 2);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // by value: fma(w, 1, +0) turns -0 into +0
                assertEquals(w[r * cols + c], got[c * rows + r], 0f, type + " row " + r + ", column " + c);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Q8_0", "Q6_K", "Q4_K", "Q4_0"})
    void otherOrdersAndEmbeddingRowsAreTheCodecPathsToTheBit(GgmlType type) {
        int rows = 9;
        int cols = 512;
        int tokens = 3;
        GgufTensor t = Harness.tensor("w", type, rows, cols, randomTensor(type, rows, cols, 13));
        WeightMatrix m = bindVector(t, rows, cols);
        WeightMatrix codec = MatrixKernels.scalar().bind(t);
        assertEquals(codec.activationType(), m.activationType());
        float[] x = SeededArrays.gaussian(14, tokens * cols, 1);
        KernelOrderReference.assertOtherOrdersMatch(codec, m, x, tokens, List.of(ActivationType.F32, ActivationType.F16), type.name());
        float[] w = decoded(t, rows, cols);
        KernelScratch scratch = new KernelScratch(cols);
        float[] row = new float[cols + 5];
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, row, 5, scratch);
            for (int c = 0; c < cols; c++) {
                assertEquals(Float.floatToRawIntBits(w[r * cols + c]), Float.floatToRawIntBits(row[5 + c]), type + " row " + r + ", column " + c);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Q8_0", "Q6_K", "Q4_K", "Q4_0"})
    void partialBlocksAndShortDataAreLeftToTheCodecFallback(GgmlType type) {
        KernelProvider vector = MatrixKernels.vectorProvider().orElseThrow();
        int half = type.blockSize() / 2;
        GgufTensor partial = Harness.tensor("half", type, 2, half, new byte[type.blockBytes()]);
        assertTrue(vector.bind(partial, 2, half).isEmpty(), "rows of half a block");
        GgufTensor shortData = Harness.tensor("short", type, 2, type.blockSize(), new byte[type.blockBytes()]);
        assertTrue(vector.bind(shortData, 2, type.blockSize()).isEmpty(), "one block's bytes for two rows");
        MatrixKernels kernels = new MatrixKernels(List.of(vector, ScalarKernels.INSTANCE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.bind(shortData));
        assertTrue(e.getMessage().contains("'short'"), e.getMessage()); // the codec's own check, as without the vector kernels
    }

    /**
     * Q6_K's fast one-token products take Q8_K activations, as llama.cpp's {@code ggml_vec_dot_q6_K_q8_K}: per 256-block the
     * integer {@code Σ sc·(q − 32)·y} times {@code d·d_y}. The reference recovers each integer {@code sc·(q − 32)} from
     * the scalar decoder's weight and the block's {@code d} (the weight is their exact product) and sums in double.
     */
    @ParameterizedTest(name = "{0}×{1}, {2} tokens, {3} threads")
    @CsvSource({"7, 256, 1, 1", "37, 512, 1, 2", "130, 2560, 1, 2"})
    void q6kFastProductsAreLlamaCppsIntegerSumsWithInt8Activations(int rows, int cols, int tokens, int threads) {
        GgufTensor t = Harness.tensor("w", GgmlType.Q6_K, rows, cols, randomTensor(GgmlType.Q6_K, rows, cols, 21));
        Int8Product p = fastInt8Product(t, rows, cols, tokens, 22, threads);
        float[] got = p.got();
        byte[] y = p.y();
        float[] dy = p.dy();
        float[] w = decoded(t, rows, cols);
        int blocks = cols / 256;
        ByteBuffer bytes = ByteBuffer.wrap(t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN);
        for (int tok = 0; tok < tokens; tok++) {
            for (int r = 0; r < rows; r++) {
                double expected = 0;
                double magnitude = 0;
                for (int b = 0; b < blocks; b++) {
                    float d = Float.float16ToFloat(bytes.getShort((r * blocks + b) * 210 + 208));
                    long sum = 0;
                    for (int v = 0; v < 256; v++) {
                        float wv = w[r * cols + b * 256 + v];
                        long scaled = Math.round(wv / (double) d); // sc·(q − 32), an integer
                        assertEquals(wv, (float) (scaled * (double) d), 0f, "the weight is d times an integer");
                        sum += scaled * y[tok * cols + b * 256 + v];
                    }
                    double f = (double) d * dy[tok * blocks + b];
                    expected += f * sum;
                    magnitude += Math.abs(f * sum);
                }
                float g = got[tok * rows + r];
                assertEquals(expected, g, 1e-5 * magnitude + 1e-30, "row " + r + ", token " + tok);
            }
        }
    }

    /**
     * Q4_K's fast one-token products take Q8_K activations, as llama.cpp's {@code ggml_vec_dot_q4_K_q8_K}: per 256-block
     * {@code d·d_y · Σ sc·q·y − dmin·d_y · Σ m·y}, both sums integers. The reference reads the codes, scales and minimums
     * from the bytes with the format's scalar accessors and sums in double.
     */
    @ParameterizedTest(name = "{0}×{1}, {2} tokens, {3} threads")
    @CsvSource({"7, 256, 1, 1", "37, 512, 1, 2", "130, 2560, 1, 2"})
    void q4kFastProductsAreLlamaCppsIntegerSumsWithInt8Activations(int rows, int cols, int tokens, int threads) {
        byte[] data = randomTensor(GgmlType.Q4_K, rows, cols, 23);
        GgufTensor t = Harness.tensor("w", GgmlType.Q4_K, rows, cols, data);
        Int8Product p = fastInt8Product(t, rows, cols, tokens, 24, threads);
        float[] got = p.got();
        byte[] y = p.y();
        float[] dy = p.dy();
        int blocks = cols / 256;
        ByteBuffer bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int tok = 0; tok < tokens; tok++) {
            for (int r = 0; r < rows; r++) {
                double expected = 0;
                double magnitude = 0;
                for (int b = 0; b < blocks; b++) {
                    int at = (r * blocks + b) * 144;
                    long scaled = 0; // Σ sc·q·y
                    long offset = 0; // Σ m·y
                    for (int v = 0; v < 256; v++) {
                        int s = v / 32;
                        int q = (data[at + 16 + 32 * (s / 2) + v % 32] & 0xFF) >>> (4 * (s % 2)) & 0x0F;
                        int yv = y[tok * cols + b * 256 + v];
                        scaled += (long) Q4_K.subScale(data, at, s) * q * yv;
                        offset += (long) Q4_K.subMin(data, at, s) * yv;
                    }
                    double d = Float.float16ToFloat(bytes.getShort(at)) * (double) dy[tok * blocks + b];
                    double dmin = Float.float16ToFloat(bytes.getShort(at + 2)) * (double) dy[tok * blocks + b];
                    expected += d * scaled - dmin * offset;
                    magnitude += Math.abs(d * scaled) + Math.abs(dmin * offset);
                }
                float g = got[tok * rows + r];
                assertEquals(expected, g, 1e-5 * magnitude + 1e-30, "row " + r + ", token " + tok);
            }
        }
    }

    /**
     * A prompt's products (two tokens or more) with int8 activations prepared take the float kernel instead, which
     * unpacks each weight once for two tokens (the int8 kernel costs the same per token): the same floats as a product
     * of the float activations, to the bit.
     */
    @ParameterizedTest(name = "{0}, {1} tokens")
    @CsvSource({"Q6_K, 2", "Q6_K, 5", "Q4_K, 3"})
    void promptsWithInt8ActivationsAreTheFloatProducts(GgmlType type, int tokens) {
        int rows = 37, cols = 512;
        GgufTensor t = Harness.tensor("w", type, rows, cols, randomTensor(type, rows, cols, 25));
        WeightMatrix m = bindVector(t, rows, cols);
        float[] x = SeededArrays.gaussian(26, tokens * cols, 1);
        float[] int8 = Harness.multiply(m, x, tokens, ActivationType.Q8_K, KernelOrderReference.FAST, 2);
        float[] floats = Harness.multiply(m, x, tokens, ActivationType.F32, KernelOrderReference.FAST, 2);
        for (int i = 0; i < int8.length; i++) {
            assertEquals(Float.floatToIntBits(floats[i]), Float.floatToIntBits(int8[i]), "product " + i);
        }
        float[] one = Harness.multiply(m, java.util.Arrays.copyOf(x, cols), 1, ActivationType.Q8_K, KernelOrderReference.FAST, 2);
        assertTrue(one[0] != floats[0], "one token takes the int8 kernel, whose sums differ from the float ones");
    }

    /** A fast product with int8 activations: its outputs, and the activations' int8 values and block scales. */
    private record Int8Product(float[] got, byte[] y, float[] dy) {}

    /**
     * Binds {@code t} ({@code rows × cols}) with the vector kernels, checks that its fast products take Q8_K activations (and still accept
     * floats), and multiplies {@code tokens} tokens of Gaussian values (seed {@code seed}) in the kernels' order.
     */
    private static Int8Product fastInt8Product(GgufTensor t, int rows, int cols, int tokens, long seed, int threads) {
        WeightMatrix m = bindVector(t, rows, cols);
        assertEquals(ActivationType.Q8_K, m.fastActivationType());
        assertTrue(m.accepts(ActivationType.Q8_K) && m.accepts(ActivationType.F32));
        float[] x = SeededArrays.gaussian(seed, tokens * cols, 1);
        float[] got = Harness.multiply(m, x, tokens, ActivationType.Q8_K, KernelOrderReference.FAST, threads);
        Activations a = new Activations(x.length);
        a.set(x, tokens, cols);
        a.prepare(ActivationType.Q8_K);
        return new Int8Product(got, a.quants(ActivationType.Q8_K), a.scales(ActivationType.Q8_K));
    }

    /** Binds {@code t} with the vector provider and checks it got the type's in-place kernel. */
    static WeightMatrix bindVector(GgufTensor t, int rows, int cols) {
        WeightMatrix m = MatrixKernels.vectorProvider().orElseThrow().bind(t, rows, cols).orElseThrow();
        Class<?> expected = switch (t.type()) {
            case Q8_0 -> Q8_0VectorMatrix.class;
            case Q4_0 -> Q4_0VectorMatrix.class;
            case Q6_K -> Q6_KVectorMatrix.class;
            case Q4_K -> Q4_KVectorMatrix.class;
            default -> throw new IllegalArgumentException(t.type().toString());
        };
        return (WeightMatrix) assertInstanceOf(expected, m);
    }

    /** The weights as the scalar decoder reads them. */
    static float[] decoded(GgufTensor t, int rows, int cols) {
        float[] w = new float[rows * cols];
        TensorCodec.rows(t).readRows(0, rows, w);
        return w;
    }

    /**
     * Valid random weights: Q8_0 from its own quantizer on Gaussian values; Q4_0, Q6_K and Q4_K (which have no encoder)
     * as random bytes with every fp16 (super-)block scale set to a finite value of either sign (codes and 6- or 8-bit
     * sub-block scales are valid whatever their bits).
     */
    static byte[] randomTensor(GgmlType type, int rows, int cols, long seed) {
        if (type == GgmlType.Q8_0) {
            return Q8_0.quantize(SeededArrays.gaussian(seed, rows * cols, 0.1));
        }
        SplittableRandom random = new SplittableRandom(seed);
        int blocks = rows * cols / type.blockSize();
        ByteBuffer b = ByteBuffer.allocate(blocks * type.blockBytes()).order(ByteOrder.LITTLE_ENDIAN);
        random.nextBytes(b.array());
        int[] scaleAt = switch (type) {
            case Q6_K -> new int[] {208};
            case Q4_0 -> new int[] {0};
            default -> new int[] {0, 2};
        };
        for (int i = 0; i < blocks; i++) {
            for (int at : scaleAt) {
                double magnitude = 0.001 + 0.01 * random.nextDouble();
                b.putShort(i * type.blockBytes() + at, Float.floatToFloat16((float) (random.nextBoolean() ? magnitude : -magnitude)));
            }
        }
        return b.array();
    }
}
