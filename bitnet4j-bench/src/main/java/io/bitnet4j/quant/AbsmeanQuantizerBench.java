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
 * Ternary (absmean) weight quantization of an {@code n × 4n} float weight, per tensor and per group
 * of 64. The "bytes" counter is the float32 input size, so it reads as GB/s of weights quantized.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AbsmeanQuantizerBench {

    @Param({"64", "256", "1024"})
    public int n;

    @Param({"tensor", "group64"})
    public String granularity;

    float[] weights;
    Shape shape;
    AbsmeanQuantizer quantizer;

    @Setup
    public void setup() {
        shape = Shape.of(n, 4 * n);
        weights = new float[shape.size()];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (rnd.nextGaussian() * 0.02);
        }
        quantizer = AbsmeanQuantizer.of(granularity.equals("tensor") ? Granularity.perTensor() : Granularity.perGroup(64));
    }

    @Benchmark
    public TernaryWeight quantize(ByteCounter counter) {
        counter.bytes += 4L * weights.length;
        return quantizer.quantize(weights, shape);
    }
}
