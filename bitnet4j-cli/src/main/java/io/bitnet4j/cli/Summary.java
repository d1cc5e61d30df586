package io.bitnet4j.cli;

import io.bitnet4j.convert.ModelConverter;
import io.bitnet4j.gguf.GgmlType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The closing report of a conversion: what each type received, bits per weight, time and throughput. */
final class Summary {
    private Summary() {}

    static void print(PrintWriter out, Path file, List<ModelConverter.TensorResult> results, long inputBytes, long nanos) {
        long params = results.stream().mapToLong(ModelConverter.TensorResult::elements).sum();
        long bytes = results.stream().mapToLong(ModelConverter.TensorResult::bytes).sum();
        out.printf("wrote %s: %d tensors, %,d parameters, %,d bytes of tensors (%.4f bits per weight)%n",
                file, results.size(), params, bytes, params == 0 ? 0 : 8.0 * bytes / params);
        Map<GgmlType, long[]> byType = new TreeMap<>();
        for (ModelConverter.TensorResult r : results) {
            long[] c = byType.computeIfAbsent(r.to(), t -> new long[4]);
            c[0]++;
            c[1 + r.mode().ordinal()]++;
        }
        byType.forEach((t, c) -> out.printf("  %-6s %4d tensors (%d copied, %d trit for trit, %d from float)%n", t, c[0], c[1], c[2], c[3]));
        double seconds = nanos / 1e9;
        out.printf("%.2f s, %.3f GB/s of input (%,d bytes)%n", seconds, inputBytes / 1e9 / seconds, inputBytes);
        out.flush();
    }
}
