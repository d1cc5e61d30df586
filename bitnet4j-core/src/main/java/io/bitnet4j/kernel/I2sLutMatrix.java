package io.bitnet4j.kernel;

import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.I2sMatmul;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The vectorized kernel for bitnet.cpp's I2_S: the codes repacked into a {@link LutLayout} (no block scales:
 * the tensor has one), multiplied by the per-token int8 activations through lookup tables ({@link LutKernel}).
 * Every block sum is an exact integer and so is their float total (below 2<sup>24</sup>), which is turned into
 * {@code Σ c·q} and finished with bitnet.cpp's float steps ({@link I2sMatmul#output}): the result is the scalar
 * kernel's to the last bit, so this kernel serves every summation order.
 */
final class I2sLutMatrix extends LutMatrix {
    /** Longest row whose integer sum ({@code ≤ 127·cols}) a float holds exactly. */
    static final int MAX_COLS = (1 << 24) / 127;

    private final float weightScale;
    private final float[] ones;

    private I2sLutMatrix(I2sMatrix exact, LutLayout layout) {
        super(exact, layout);
        this.weightScale = exact.weightScale();
        this.ones = new float[layout.blocksPerRow()];
        Arrays.fill(ones, 1f);
    }

    /** Whether a row of {@code cols} can be repacked: whole 128-runs, and an exact float sum. */
    static boolean fits(int cols) {
        return cols % I2_S.BLOCK_SIZE == 0 && cols <= MAX_COLS;
    }

    /** Repacks the {@code rows × cols} I2_S tensor {@code data} (see {@link #fits}). */
    static I2sLutMatrix repack(String name, int rows, int cols, MemorySegment data) {
        return repack(name, rows, cols, data, Runtime.getRuntime().availableProcessors(), null);
    }

    /**
     * {@link #repack}, laid out for products on {@code threads} threads ({@link LutLayout#groupTiles(int, int)}), the
     * layout taken from {@code cache} when it holds this tensor's (null: no cache).
     */
    static I2sLutMatrix repack(String name, int rows, int cols, MemorySegment data, int threads, LayoutCache cache) {
        if (!fits(cols)) {
            throw new IllegalArgumentException("tensor '" + name + "' (I2_S): rows of " + cols + " do not fit the lookup-table kernel");
        }
        I2sMatrix exact = new I2sMatrix(name, rows, cols, data);
        int runs = cols / I2_S.BLOCK_SIZE;
        int block = cols % 256 == 0 ? 256 : I2_S.BLOCK_SIZE;
        LutLayout layout = LutLayout.pack(cache, name, data, rows, cols, block, LutKernel.tileRows(), threads, false, (row, codes, scales) -> {
            for (int k = 0; k < runs; k++) {
                I2_S.unpackRunCodes(data, (long) row * runs + k, codes, k * I2_S.BLOCK_SIZE);
            }
        });
        return new I2sLutMatrix(exact, layout);
    }

    @Override
    boolean usesLayout(Summation sum) {
        return true; // bit-exact in every order
    }

    @Override
    MemorySegment scales() {
        return LutKernel.UNIT_SCALES;
    }

    @Override
    long scaleOffset(int b, int tile) {
        return 0;
    }

    @Override
    long scaleStep() {
        return 0;
    }

    @Override
    float[] blockScales(Activations in) {
        return ones;
    }

    @Override
    int d8Offset(int token) {
        return 0;
    }

    @Override
    void finishRows(float[] sums, int sumsAt, Activations in, int token, float[] out, int outAt, int n) {
        int sumQ = in.rowSums()[token];
        float actScale = in.scales(ActivationType.I8_PER_ROW)[token];
        for (int i = 0; i < n; i++) {
            out[outAt + i] = I2sMatmul.output((int) sums[sumsAt + i] + sumQ, sumQ, actScale, weightScale);
        }
    }
}
