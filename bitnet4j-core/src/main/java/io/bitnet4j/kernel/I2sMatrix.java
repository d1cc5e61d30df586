package io.bitnet4j.kernel;

import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.I2sMatmul;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The scalar kernel for bitnet.cpp's I2_S: activations quantized to int8 per token row, the codes
 * {@code t + 1} multiplied exactly in integers and the result finished with bitnet.cpp's float steps
 * ({@link I2sMatmul#output}). Each weight row is decoded once and reused for every token.
 */
final class I2sMatrix extends StoredMatrix {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final float weightScale;
    private final int runsPerRow;

    I2sMatrix(String name, int rows, int cols, MemorySegment data) {
        super(name, GgmlType.I2_S, rows, cols, data, ActivationType.I8_PER_ROW);
        if (cols % I2_S.BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' (I2_S) has rows of " + cols + ", not a multiple of "
                    + I2_S.BLOCK_SIZE + ", which bitnet.cpp's kernels need");
        }
        long scaleAt = (long) rows * cols / 4;
        if (data.byteSize() < scaleAt + Float.BYTES) {
            throw new IllegalArgumentException("tensor '" + name + "' (I2_S) has " + data.byteSize()
                    + " bytes, too few for its codes and scale");
        }
        this.weightScale = data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), scaleAt);
        if (!Float.isFinite(weightScale)) {
            throw new IllegalArgumentException("tensor '" + name + "' (I2_S) has scale " + weightScale + "; it must be finite");
        }
        this.runsPerRow = cols / I2_S.BLOCK_SIZE;
    }

    /** The tensor's scale. */
    float weightScale() {
        return weightScale;
    }

    @Override
    public void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        checkShapes(in, rowFrom, rowTo, out, outOffset);
        byte[] q = in.quants(ActivationType.I8_PER_ROW);
        float[] s = in.scales(ActivationType.I8_PER_ROW);
        int[] sums = in.rowSums();
        byte[] codes = scratch.codes;
        int tokens = in.rows();
        if (tokens == 1) {
            for (int r = rowFrom; r < rowTo; r++) {
                out[outOffset + r] = I2sMatmul.output(packedDot(r, q), sums[0], s[0], weightScale);
            }
            return;
        }
        for (int r = rowFrom; r < rowTo; r++) {
            decodeRow(r, codes);
            for (int t = 0; t < tokens; t++) {
                int x = t * cols;
                int acc = 0;
                for (int c = 0; c < cols; c++) {
                    acc += codes[c] * q[x + c];
                }
                out[outOffset + t * rows + r] = I2sMatmul.output(acc, sums[t], s[t], weightScale);
            }
        }
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        checkRow(row, dst, dstOffset);
        decodeRow(row, scratch.codes);
        for (int c = 0; c < cols; c++) {
            dst[dstOffset + c] = (scratch.codes[c] - 1) * weightScale;
        }
    }

    /**
     * {@code Σ c·q} of row {@code row} with one token, read straight from the packed bytes (one byte, four
     * codes, four products): for a single token decoding the row first would cost as much as the product.
     */
    private int packedDot(int row, byte[] q) {
        long at = (long) row * cols / 4;
        int acc = 0;
        long pairs = 0; // bits set where both bits of a code are: code 3
        for (int x = 0; x < cols; x += I2_S.BLOCK_SIZE, at += I2_S.BLOCK_BYTES) {
            for (int g = 0; g < I2_S.BLOCK_BYTES; g += Long.BYTES) {
                long eight = data.get(LONG_LE, at + g); // eight packed bytes per read
                pairs |= eight & (eight >>> 1);
                for (int k = 0; k < Long.BYTES; k++) {
                    int b = (int) (eight >>> (8 * k)) & 0xFF;
                    int i = x + g + k;
                    acc += (b >>> 6) * q[i] + ((b >>> 4) & 3) * q[i + 32] + ((b >>> 2) & 3) * q[i + 64] + (b & 3) * q[i + 96];
                }
            }
        }
        if ((pairs & 0x5555555555555555L) != 0) {
            decodeRow(row, new byte[cols]); // throws, naming the byte and element
        }
        return acc;
    }

    private void decodeRow(int row, byte[] codes) {
        long first = (long) row * runsPerRow;
        for (int k = 0; k < runsPerRow; k++) {
            I2_S.unpackRunCodes(data, first + k, codes, k * I2_S.BLOCK_SIZE);
        }
    }
}
