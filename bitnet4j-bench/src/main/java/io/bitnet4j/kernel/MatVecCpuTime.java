package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One matrix × vector product on one thread, timed by the thread's CPU time rather than the wall clock: on a machine
 * shared with other work the wall clock measures the sharing, the CPU time (nearly) only the kernel. Reports the
 * median over the runs as GB/s of weight bytes per CPU second. {@code scalar} measures the path without the Vector API
 * kernels (the scalar kernels, and for types they lack the codec fallback), to compare a vectorized kernel with.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar io.bitnet4j.kernel.MatVecCpuTime TYPE ROWSxCOLS [runs=20] [vector|vector-q8|scalar]</pre>
 */
public final class MatVecCpuTime {
    private MatVecCpuTime() {}

    public static void main(String[] args) {
        if (args.length < 2 || !args[1].matches("\\d+x\\d+")) {
            System.err.println("usage: MatVecCpuTime TYPE ROWSxCOLS [runs=20] [vector|vector-q8|scalar]   e.g. F16 128256x2560 10");
            System.exit(2);
        }
        GgmlType type = GgmlType.valueOf(args[0]);
        String[] rc = args[1].split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String kernels = args.length > 3 ? args[3] : "vector";
        MemorySegment data = MatVecBench.randomTensor(type, rows, cols);
        MatrixKernels mk = switch (kernels) {
            case "vector", "vector-q8" -> new MatrixKernels(List.of(MatrixKernels.vectorProvider(kernels.equals("vector-q8")).orElseThrow(),
                    ScalarKernels.INSTANCE));
            case "scalar" -> MatrixKernels.scalar();
            default -> throw new IllegalArgumentException("kernels must be vector, vector-q8 or scalar, not '" + kernels + "'");
        };
        WeightMatrix m = mk.bind(new GgufTensor("w", type, new long[] {cols, rows}, (long) rows * cols, 0, data.byteSize(), data));
        float[] x = new float[cols];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < cols; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Summation sum = new Summation(Summation.Routine.KERNEL_ORDER, GgmlSimd.AVX512);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] gbs = new double[runs];
        try (WorkerPool pool = new WorkerPool(1)) {
            MatMul mm = new MatMul(pool, cols);
            Activations acts = new Activations(cols);
            float[] out = new float[rows];
            for (int r = -runs; r < runs; r++) { // the first half warms up
                acts.set(x, 1, cols);
                long t0 = cpu.getCurrentThreadCpuTime();
                mm.multiply(m, acts, m.activationType(), sum, out, 0);
                long t1 = cpu.getCurrentThreadCpuTime();
                if (r >= 0) {
                    gbs[r] = data.byteSize() / (double) (t1 - t0);
                }
            }
        }
        Arrays.sort(gbs);
        System.out.printf(Locale.ROOT, "%s %s %s: median %.1f GB/s per CPU second (%s)%n", type, args[1], kernels,
                gbs[runs / 2], m);
    }
}
