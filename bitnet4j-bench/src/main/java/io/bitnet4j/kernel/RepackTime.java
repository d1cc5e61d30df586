package io.bitnet4j.kernel;

import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;

/**
 * The load-time repack of one ternary tensor into the lookup-table layout, as a model's load does it (in parallel on
 * the common pool), timed by the wall clock: the median of {@code runs} repacks after as many of warm-up, so that
 * the figure is the compiled code's. The weights are random ({@link MatVecBench#randomTensor}).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar io.bitnet4j.kernel.RepackTime TQ2_0|TQ1_0|I2_S [runs=30] [ROWSxCOLS=6912x2560]</pre>
 */
public final class RepackTime {
    private RepackTime() {}

    public static void main(String[] args) {
        if (args.length < 1 || !args[0].matches("TQ2_0|TQ1_0|I2_S") || (args.length > 2 && !args[2].matches("\\d+x\\d+"))) {
            System.err.println("usage: RepackTime TQ2_0|TQ1_0|I2_S [runs=30] [ROWSxCOLS=6912x2560]");
            System.exit(2);
        }
        GgmlType type = GgmlType.valueOf(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String[] rc = (args.length > 2 ? args[2] : "6912x2560").split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        MemorySegment data = MatVecBench.randomTensor(type, rows, cols);
        double[] ms = new double[runs];
        Object keep = null;
        for (int r = -runs; r < runs; r++) { // the first half warms up
            long t0 = System.nanoTime();
            keep = switch (type) {
                case TQ2_0 -> TernaryLutMatrix.repack("w", type, rows, cols, data, TQ2_0.FORMAT);
                case TQ1_0 -> TernaryLutMatrix.repack("w", type, rows, cols, data, TQ1_0.FORMAT);
                case I2_S -> I2sLutMatrix.repack("w", rows, cols, data);
                default -> throw new AssertionError(type); // refused above
            };
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%s %dx%d repack: median %.1f ms, min %.1f ms (wall, %d runs; %s)%n", type, rows, cols,
                ms[runs / 2], ms[0], runs, keep);
    }
}
