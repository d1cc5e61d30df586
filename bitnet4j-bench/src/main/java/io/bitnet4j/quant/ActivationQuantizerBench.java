package io.bitnet4j.quant;

import io.bitnet4j.bench.ByteCounter;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Absmax int8 per-token activation quantization of {@code [batch, seq, hidden]} activations. The
 * "bytes" counter is the float32 input size (GB/s of activations quantized).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationQuantizerBench {

    @Param({"4x128x512", "8x256x1024", "16x512x2048"})
    public String shape;

    float[] x;
    Shape dims;
    final ActivationQuantizer quantizer = ActivationQuantizer.int8PerToken();

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        dims = Shape.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        x = new float[dims.size()];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
    }

    @Benchmark
    public QuantizedActivations quantize(ByteCounter counter) {
        counter.bytes += 4L * x.length;
        return quantizer.quantize(x, dims);
    }
}
