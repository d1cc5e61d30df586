package io.bitnet4j.quant;

import io.bitnet4j.bench.ByteCounter;
import io.bitnet4j.bench.DefaultBench;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Absmax int8 per-token activation quantization of {@code [batch, seq, hidden]} activations. The
 * "bytes" counter is the float32 input size (GB/s of activations quantized).
 */
public class ActivationQuantizerBench extends DefaultBench {

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
