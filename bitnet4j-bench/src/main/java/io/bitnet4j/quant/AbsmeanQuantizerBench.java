package io.bitnet4j.quant;

import io.bitnet4j.bench.ByteCounter;
import io.bitnet4j.bench.DefaultBench;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Ternary (absmean) weight quantization of an {@code n × 4n} float weight, per tensor and per group
 * of 64. The "bytes" counter is the float32 input size, so it reads as GB/s of weights quantized.
 */
public class AbsmeanQuantizerBench extends DefaultBench {

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
