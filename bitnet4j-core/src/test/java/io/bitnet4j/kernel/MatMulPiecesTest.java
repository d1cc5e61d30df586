package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.testing.SeededArrays;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One-token products large enough for {@link MatMul} to cut into more pieces than threads ({@link WorkerPool#runPieces}, some
 * threads then running several) give the single-threaded product's bits: a row's result must not depend on which
 * piece, thread or order computed it.
 */
class MatMulPiecesTest {
    private static final Summation FAST = new Summation(Summation.Routine.KERNEL_ORDER, GgmlSimd.AVX512);


    @ParameterizedTest(name = "{0}, {1} threads")
    @CsvSource({"TQ2_0, 2", "TQ2_0, 3", "F16, 2", "F16, 3"})
    void piecesGiveTheSingleThreadedBits(String type, int threads) {
        int tokens = 1; // batches keep one range per thread
        WeightMatrix w = type.equals("F16") ? f16(8192, 2560, 61) : ternary(6912, 2560, 62);
        float[] x = SeededArrays.gaussian(63, tokens * w.cols(), 2);
        float[] one = Harness.multiply(w, x, tokens, w.activationType(), FAST, 1);
        CountingMatrix counted = new CountingMatrix(w);
        float[] many = Harness.multiply(counted, x, tokens, w.activationType(), FAST, threads);
        assertTrue(counted.calls.get() > threads, "the product ran as " + counted.calls.get() + " pieces, not more than "
                + threads + ": the test does not exercise pieces");
        assertEquals(-1, Harness.firstBitDifference(one, many));
    }

    /**
     * Matrices of one input multiplied in one dispatch (Q, K and V; gate and up) give each one's bits alone, with
     * pieces that straddle two matrices; matrices of different row lengths are refused.
     */
    @ParameterizedTest(name = "{0} tokens, {1} threads")
    @CsvSource({"1, 2", "1, 3", "4, 2", "5, 1"})
    void matricesTogetherGiveEachOnesBits(int tokens, int threads) {
        WeightMatrix[] ws = {ternary(2592, 2560, 71), ternary(640, 2560, 72), ternary(672, 2560, 73), f16(4000, 2560, 74)};
        float[] x = SeededArrays.gaussian(75, tokens * 2560, 2);
        for (int pick = 0; pick < 2; pick++) { // three ternary matrices (Q8_K activations), then an F16 one twice
            WeightMatrix[] group = pick == 0 ? new WeightMatrix[] {ws[0], ws[1], ws[2]} : new WeightMatrix[] {ws[3], ws[3]};
            ActivationType as = group[0].activationType();
            float[][] outs = new float[group.length][];
            for (int i = 0; i < group.length; i++) {
                outs[i] = new float[tokens * group[i].rows()];
            }
            try (WorkerPool pool = new WorkerPool(threads)) {
                MatMul mm = new MatMul(pool, 2560);
                Activations in = new Activations(x.length);
                in.set(x, tokens, 2560);
                mm.multiply(group, in, as, FAST, outs, 0);
                for (int i = 0; i < group.length; i++) {
                    float[] alone = Harness.multiply(group[i], x, tokens, as, FAST, 1);
                    assertEquals(-1, Harness.firstBitDifference(alone, outs[i]), "matrix " + i + " of group " + pick);
                }
                WeightMatrix[] mixed = {ws[0], ternary(64, 512, 76)};
                float[][] mixedOuts = {new float[tokens * 2592], new float[tokens * 64]};
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> mm.multiply(mixed, in, ws[0].activationType(), FAST, mixedOuts, 0));
            }
        }
    }

    /**
     * While the read-ahead tuners try their distances (one token, and a decode batch of several) and after they have
     * settled, every product gives the same bits: the distance changes speed only.
     */
    @ParameterizedTest(name = "{0} tokens")
    @CsvSource({"1", "3"})
    void theReadAheadTunerChangesNoBits(int tokens) {
        WeightMatrix w = f16(512, 2560, 81);
        float[] x = SeededArrays.gaussian(82, tokens * w.cols(), 2);
        float[] first = null;
        try (WorkerPool pool = new WorkerPool(2)) {
            MatMul mm = new MatMul(pool, 2560);
            Activations in = new Activations(x.length);
            String tuned = w.getClass().getSimpleName() + (tokens == 1 ? "" : " (batches)");
            // the tuner watches for its warm-up time first, then times its candidates: run until it has settled
            long deadline = System.nanoTime() + ReadAheadTuner.WARM_UP_NANOS + 60_000_000_000L;
            for (int call = 0; call < 2 || !settled(mm, tuned); call++) {
                assertTrue(System.nanoTime() < deadline, "not settled after " + call + " calls: " + mm.readAheadDistances());
                in.set(x, tokens, w.cols());
                float[] out = new float[tokens * w.rows()];
                mm.multiply(w, in, w.activationType(), FAST, out, 0);
                if (first == null) {
                    first = out;
                } else {
                    assertEquals(-1, Harness.firstBitDifference(first, out), "call " + call);
                }
            }
            assertTrue(settled(mm, tuned), "settled: " + mm.readAheadDistances());
        }
    }

    private static boolean settled(MatMul mm, String kernel) {
        Long distance = mm.readAheadDistances().get(kernel);
        return distance != null && distance >= 0;
    }

    private static WeightMatrix ternary(int rows, int cols, long seed) {
        byte[] bytes = TQ2_0.FORMAT.pack(LutKernelTest.randomTrits(rows * cols, seed), SeededArrays.uniform(seed, rows * cols / 256, 2));
        return LutKernelTest.bind(GgmlType.TQ2_0, rows, cols, bytes);
    }

    private static WeightMatrix f16(int rows, int cols, long seed) {
        float[] v = SeededArrays.gaussian(seed, rows * cols, 1);
        short[] halves = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            halves[i] = Float.floatToFloat16(v[i]);
        }
        return new F16VectorMatrix("w", rows, cols, MemorySegment.ofArray(halves));
    }

    /** Delegates to a matrix and counts the calls of {@link #multiplyRows}: the pieces the product was cut into. */
    private record CountingMatrix(WeightMatrix w, AtomicInteger calls) implements WeightMatrix {
        CountingMatrix(WeightMatrix w) {
            this(w, new AtomicInteger());
        }

        @Override
        public String name() {
            return w.name();
        }

        @Override
        public GgmlType type() {
            return w.type();
        }

        @Override
        public int rows() {
            return w.rows();
        }

        @Override
        public int cols() {
            return w.cols();
        }

        @Override
        public ActivationType activationType() {
            return w.activationType();
        }

        @Override
        public boolean accepts(ActivationType type) {
            return w.accepts(type);
        }

        @Override
        public void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
                int outOffset, KernelScratch scratch) {
            calls.incrementAndGet();
            w.multiplyRows(in, as, sum, rowFrom, rowTo, out, outOffset, scratch);
        }

        @Override
        public int rowTile() {
            return w.rowTile();
        }

        @Override
        public void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
            w.dequantizeRow(row, dst, dstOffset, scratch);
        }
    }
}
