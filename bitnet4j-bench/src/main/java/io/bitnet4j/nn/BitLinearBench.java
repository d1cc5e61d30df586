package io.bitnet4j.nn;

import io.bitnet4j.bench.ByteCounter;
import io.bitnet4j.bench.DefaultBench;
import io.bitnet4j.quant.BitNetConfig;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * BitLinear forward on a batch of 4 tokens, {@code out × in} weights: the integer path (int8
 * activations × trits, integer accumulation) and the float reference path (fake-quantized
 * activations × dequantized weights). The "bytes" counter is the packed 2-bit weight size, so it
 * reads as GB/s of ternary weights streamed. These are the library's scalar layers; the engine's
 * Vector API kernels come with the inference work.
 */
public class BitLinearBench extends DefaultBench {

    @Param({"64x128", "256x512", "1024x4096"})
    public String size;

    static final int BATCH = 4;

    BitLinear layer;
    float[] x;
    Shape inputShape;
    long weightBytes;

    @Setup
    public void setup() {
        String[] p = size.split("x");
        int out = Integer.parseInt(p[0]);
        int in = Integer.parseInt(p[1]);
        SplittableRandom rnd = new SplittableRandom(3);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.02);
        }
        layer = BitLinear.fromFloat(w, Shape.of(out, in), null, BitNetConfig.inference());
        inputShape = Shape.of(BATCH, in);
        x = new float[BATCH * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        weightBytes = (long) out * in / 4;
    }

    @Benchmark
    public float[] integer(ByteCounter counter) {
        counter.bytes += weightBytes;
        return layer.forwardInteger(x, inputShape);
    }

    @Benchmark
    public float[] reference(ByteCounter counter) {
        counter.bytes += weightBytes;
        return layer.forwardReference(x, inputShape);
    }
}
