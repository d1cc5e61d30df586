package io.bitnet4j.kernel;

import io.bitnet4j.format.Q8_K;
import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The scalar kernel for llama.cpp's TQ1_0 and TQ2_0: activations quantized to {@link Q8_K} per 256-block,
 * as llama.cpp's CPU backend does, then summed in the order of llama.cpp's x86 (AVX2) kernels, which the
 * reference data were made with (bit-exact against {@code quant/vecdot_tq*_q8_k.f32}). Those kernels
 * multiply the codes {@code c = t + 1} and keep 8 lanes per block: lane {@code k} holds the integer
 * {@code Σ c·q} over the elements {@code e} with {@code (e mod 32) / 4 = k}, less the sum of values
 * {@code 32k .. 32k+31} (two of Q8_K's {@code bsums}; over all lanes that removes the +1); each lane adds
 * {@code (float) lane · (d8 · d)} with fma to its float total, and the 8 totals are summed as
 * {@code hsum_float_8} does. The result differs in the last bits from the generic order of
 * {@link TernaryBlockFormat#dot}. Each weight row is decoded once and reused for every token.
 */
class TernaryBlockMatrix extends StoredMatrix {
    static final int BLOCK = TernaryBlockFormat.BLOCK_SIZE;
    /** Float lanes of llama.cpp's AVX2 TQ kernels. */
    static final int LANES = 8;

    final TernaryBlockFormat format;
    private final int blocksPerRow;

    TernaryBlockMatrix(String name, GgmlType type, int rows, int cols, MemorySegment data, TernaryBlockFormat format) {
        super(name, type, rows, cols, data, ActivationType.Q8_K);
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' (" + format + ") has rows of " + cols
                    + ", not a multiple of the " + BLOCK + "-weight block");
        }
        this.format = format;
        this.blocksPerRow = cols / BLOCK;
    }

    @Override
    public void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        checkShapes(in, rowFrom, rowTo, out, outOffset);
        byte[] q = in.quants(ActivationType.Q8_K);
        float[] d8 = in.scales(ActivationType.Q8_K);
        int[] sums32 = in.sums32();
        byte[] weights = scratch.codes;
        float[] d = scratch.blockScales;
        float[] lanes = scratch.lanes;
        int tokens = in.rows();
        for (int r = rowFrom; r < rowTo; r++) {
            long first = (long) r * blocksPerRow;
            for (int b = 0; b < blocksPerRow; b++) {
                d[b] = decodeForProducts(first + b, weights, b * BLOCK);
            }
            for (int t = 0; t < tokens; t++) {
                Arrays.fill(lanes, 0, LANES, 0f);
                for (int b = 0; b < blocksPerRow; b++) {
                    float scale = d8[t * blocksPerRow + b] * d[b];
                    accumulateBlock(weights, b * BLOCK, q, t * cols + b * BLOCK, sums32, scale, lanes, scratch);
                }
                out[outOffset + t * rows + r] = GgmlSimd.AVX2.horizontalSum(lanes, 0, 1);
            }
        }
    }

    /**
     * Decodes block {@code block} of the tensor into {@code weights[to .. to + 256)} in the form
     * {@link #accumulateBlock} multiplies, and returns its scale: here the codes {@code t + 1} the x86 kernels
     * multiply, as stored.
     */
    float decodeForProducts(long block, byte[] weights, int to) {
        return format.decodeCodes(data, block, weights, to);
    }

    /**
     * Adds one block's terms to a token's 8 float lanes as llama.cpp's kernels do: {@code lanes[k] = fma((float)
     * lane k, scale, lanes[k])}, lane {@code k} the block's integer lane sum ({@link #blockLanes}) and {@code scale}
     * the activation's times the weight's. {@code weights[w ..]} as {@link #decodeForProducts} left them, {@code x}
     * the block's first activation. The lane sums are integers, so a subclass may compute them in any order
     * ({@link TernaryBlockVectorMatrix}); each fma must stay as written.
     */
    void accumulateBlock(byte[] weights, int w, byte[] q, int x, int[] sums32, float scale, float[] lanes, KernelScratch scratch) {
        int[] lane = scratch.laneSums;
        blockLanes(weights, w, q, x, sums32, lane);
        for (int k = 0; k < LANES; k++) {
            lanes[k] = Math.fma((float) lane[k], scale, lanes[k]);
        }
    }

    /**
     * The 8 integer lane sums of one block (see the class comment): codes {@code codes[w ..]} times values
     * {@code q[x ..]}, {@code x} the block's first value.
     */
    static void blockLanes(byte[] codes, int w, byte[] q, int x, int[] sums32, int[] lane) {
        for (int k = 0; k < LANES; k++) {
            lane[k] = -sums32[x / 32 + k];
        }
        for (int run = 0; run < BLOCK; run += 32) {
            for (int k = 0; k < LANES; k++) {
                int e = run + 4 * k;
                lane[k] += codes[w + e] * q[x + e] + codes[w + e + 1] * q[x + e + 1]
                        + codes[w + e + 2] * q[x + e + 2] + codes[w + e + 3] * q[x + e + 3];
            }
        }
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        checkRow(row, dst, dstOffset);
        decodeRow(row, scratch.codes, scratch.blockScales);
        for (int c = 0; c < cols; c++) {
            dst[dstOffset + c] = scratch.codes[c] * scratch.blockScales[c / BLOCK];
        }
    }

    private void decodeRow(int row, byte[] trits, float[] scales) {
        long first = (long) row * blocksPerRow;
        for (int b = 0; b < blocksPerRow; b++) {
            scales[b] = format.decodeBlock(data, first + b, trits, b * BLOCK);
        }
    }
}
