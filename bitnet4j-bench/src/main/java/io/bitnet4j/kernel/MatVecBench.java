package io.bitnet4j.kernel;

import io.bitnet4j.bench.ByteCounter;
import io.bitnet4j.bench.DefaultBench;
import io.bitnet4j.format.BF16;
import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.Q8_0;
import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One token's matrix × vector product (decode) on BitNet 2B-4T shapes ({@code rows x cols}: attention
 * 2560x2560, FFN up/gate 6912x2560, FFN down 2560x6912, and the tied F16 head 128256x2560), per weight type,
 * scalar vs vectorized kernels, on 1 or 2 threads. The "bytes" counter is the weight's size in the file's
 * format, so it reads as GB/s of weights streamed (compare with the machine's memory bandwidth). Weights are
 * random (a third zeros), off-heap as a mapped file's would be; the vectorized ternary kernels repack them.
 * As in a decode, the weights come from memory, not cache: the benchmark cycles through enough copies of the
 * matrix to fill {@value #FOOTPRINT} bytes. {@code kernels=vector-q8} is the F16 head's optional int8 copy.
 * {@code kernels=read} is the yardstick: the same bytes summed as integers by the same threads ({@link BareRead}), no
 * product at all; a kernel's "bytes" rate over the read's (same shape and threads) is its share of the bandwidth.
 * {@code tokens} above 1 makes it a prompt's matrix × matrix product (each weight load serving several tokens):
 * ops/s × tokens is then tokens per second through that matrix, and "bytes" still counts each weight once per product.
 * {@code order=tinyblas} measures the exact numerics' products (perplexity's) instead of the fast ones, which take
 * each matrix's fast activations as a decode does (int8 for Q6_K and Q4_K).
 */
public class MatVecBench extends DefaultBench {

    @Param({"TQ2_0", "I2_S", "TQ1_0", "F16", "BF16", "Q8_0", "Q4_0", "Q6_K", "Q4_K"})
    public String type;

    @Param({"2560x2560", "6912x2560", "2560x6912", "128256x2560"})
    public String shape;

    @Param({"scalar", "vector", "read"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    @Param({"1"})
    public int tokens;

    /**
     * The summation order: {@code kernel} (fast numerics: the kernels' own order) or {@code tinyblas} (exact
     * numerics as a llama.cpp prompt sums: the ternary products in its kernels' lane order, float matrices in
     * tinyBLAS's); {@code kernel-float}: the kernels' own order with the matrix's exact activations (for Q6_K and Q4_K,
     * the float kernel their int8 one replaced in decodes).
     */
    @Param({"kernel"})
    public String order;

    /** Bytes of weights cycled through, well beyond the last-level cache. */
    static final long FOOTPRINT = 256L << 20;

    private WorkerPool pool;
    private MatMul matmul;
    private WeightMatrix[] matrices;
    private MemorySegment[] copies;
    private BareRead read;
    private int next;
    private float[] x;
    private Activations acts;
    private ActivationType as;
    private Summation sum;
    private float[] out;
    private long weightBytes;

    @Setup(Level.Trial)
    public void setup() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        GgmlType t = GgmlType.valueOf(type);
        MemorySegment data = randomTensor(t, rows, cols);
        weightBytes = data.byteSize();
        MatrixKernels mk = switch (kernels) {
            case "scalar" -> MatrixKernels.scalar();
            case "vector" -> new MatrixKernels(List.of(MatrixKernels.vectorProvider().orElseThrow(), ScalarKernels.INSTANCE));
            case "vector-q8" -> new MatrixKernels(List.of(MatrixKernels.vectorProvider(true).orElseThrow(), ScalarKernels.INSTANCE));
            case "read" -> null; // no product: the bytes are only read (BareRead)
            default -> throw new IllegalArgumentException("kernels " + kernels);
        };
        matrices = new WeightMatrix[(int) Math.max(1, FOOTPRINT / weightBytes)];
        copies = new MemorySegment[matrices.length];
        for (int i = 0; i < matrices.length; i++) {
            copies[i] = i == 0 ? data : Arena.ofAuto().allocate(data.byteSize(), 64).copyFrom(data);
            matrices[i] = mk == null ? null
                    : mk.bind(new GgufTensor("w" + i, t, new long[] {cols, rows}, (long) rows * cols, 0, data.byteSize(), copies[i]));
        }
        pool = new WorkerPool(threads);
        read = new BareRead(pool);
        matmul = new MatMul(pool, cols);
        x = new float[tokens * cols];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        acts = new Activations(x.length);
        acts.set(x, tokens, cols);
        // the activations the engine gives this matrix: its fast form for kernel-order products (Q6_K, Q4_K: int8), as a decode
        as = mk == null ? ActivationType.F32 : order.equals("kernel") ? matrices[0].fastActivationType() : matrices[0].activationType();
        sum = new Summation(switch (order) {
            case "kernel", "kernel-float" -> Summation.Routine.KERNEL_ORDER;
            case "tinyblas" -> Summation.Routine.TINY_BLAS;
            default -> throw new IllegalArgumentException("order " + order + ": kernel, kernel-float or tinyblas");
        }, GgmlSimd.AVX512);
        out = new float[tokens * rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] matVec(ByteCounter counter) {
        counter.bytes += weightBytes;
        WeightMatrix m = matrices[next];
        MemorySegment copy = copies[next];
        next = next + 1 == matrices.length ? 0 : next + 1;
        if (m == null) { // kernels=read
            out[0] = read.sum(copy);
            return out;
        }
        acts.set(x, tokens, x.length / tokens); // a new input each time, as in a decode: kernels keep no tables across inputs
        matmul.multiply(m, acts, as, sum, out, 0);
        return out;
    }

    /**
     * Random weights of {@code type} in off-heap memory: trits a third each; F16 or BF16 values of a head's size;
     * Q8_0 from its quantizer, row by row; Q4_0, Q6_K and Q4_K (no encoder here) as random bytes with every fp16 (super-)block
     * scale a finite value of a head's size (any bits are valid codes and sub-block scales).
     */
    static MemorySegment randomTensor(GgmlType type, int rows, int cols) {
        SplittableRandom rnd = new SplittableRandom(1);
        int n = rows * cols;
        byte[] bytes = switch (type) {
            case TQ2_0 -> TQ2_0.FORMAT.pack(trits(rnd, n), scales(rnd, n / 256));
            case TQ1_0 -> TQ1_0.FORMAT.pack(trits(rnd, n), scales(rnd, n / 256));
            case I2_S -> I2_S.pack(trits(rnd, n), 0.5f);
            case F16, BF16, Q8_0, Q4_0, Q6_K, Q4_K -> null;
            default -> throw new IllegalArgumentException("type " + type);
        };
        if (bytes != null) {
            return Arena.ofAuto().allocate(bytes.length, 64).copyFrom(MemorySegment.ofArray(bytes));
        }
        MemorySegment out = Arena.ofAuto().allocate(type.byteSize(n), 64);
        switch (type) {
            case F16, BF16 -> {
                for (long i = 0; i < n; i++) {
                    float w = (float) (rnd.nextGaussian() * 0.05);
                    out.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, type == GgmlType.F16 ? Float.floatToFloat16(w) : BF16.fromFloat(w));
                }
            }
            case Q8_0 -> {
                float[] row = new float[cols];
                long rowBytes = Q8_0.packedBytes(cols);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        row[c] = (float) (rnd.nextGaussian() * 0.05);
                    }
                    MemorySegment.copy(MemorySegment.ofArray(Q8_0.quantize(row)), 0, out, r * rowBytes, rowBytes);
                }
            }
            default -> { // Q4_0, Q6_K, Q4_K
                byte[] block = new byte[type.blockBytes()];
                int[] scaleAt = switch (type) {
                    case Q6_K -> new int[] {208};
                    case Q4_0 -> new int[] {0};
                    default -> new int[] {0, 2};
                };
                for (long b = 0; b < n / type.blockSize(); b++) {
                    rnd.nextBytes(block);
                    for (int at : scaleAt) {
                        short d = Float.floatToFloat16((float) (0.0005 + 0.001 * rnd.nextDouble()));
                        block[at] = (byte) d;
                        block[at + 1] = (byte) (d >> 8);
                    }
                    MemorySegment.copy(MemorySegment.ofArray(block), 0, out, b * block.length, block.length);
                }
            }
        }
        return out;
    }

    private static byte[] trits(SplittableRandom rnd, int n) {
        byte[] t = new byte[n];
        for (int i = 0; i < n; i++) {
            t[i] = (byte) (rnd.nextInt(3) - 1);
        }
        return t;
    }

    private static float[] scales(SplittableRandom rnd, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.5 + rnd.nextDouble());
        }
        return s;
    }
}
