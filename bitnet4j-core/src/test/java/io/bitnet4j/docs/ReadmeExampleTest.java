package io.bitnet4j.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.I2_S;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.nn.BitLinear;
import io.bitnet4j.quant.AbsmeanQuantizer;
import io.bitnet4j.quant.BitNetConfig;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The README's library example, verbatim between the markers, so the README cannot drift from the API. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRunsAndHoldsItsClaims() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] w = new float[256 * 512];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.02);
        }
        float[] x = new float[4 * 512];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }

        // README example begins
        Shape shape = Shape.of(256, 512);                      // [out, in]
        TernaryWeight t = AbsmeanQuantizer.of(Granularity.perTensor()).quantize(w, shape);
        System.out.printf("sparsity %.2f, %.1fx smaller than f32%n", t.sparsity(), t.compressionRatio());

        byte[] tq2 = TQ2_0.FORMAT.fromTernaryWeight(t);        // llama.cpp's TQ2_0 blocks
        byte[] i2s = I2_S.fromTernaryWeight(t);                // bitnet.cpp's I2_S (codes + f32 scale)
        TernaryWeight back = I2_S.toTernaryWeight(i2s, shape); // same trits, same scale

        BitLinear layer = BitLinear.fromFloat(w, shape, null, BitNetConfig.inference());
        float[] y = layer.forward(x, Shape.of(4, 512));        // int8 activations × trits
        // README example ends

        assertArrayEquals(t.trits(), back.trits());
        assertArrayEquals(t.trits(), TQ2_0.FORMAT.toTernaryWeight(tq2, shape).trits());
        assertEquals(4 * 256, y.length);
        assertTrue(t.sparsity() > 0.2 && t.sparsity() < 0.5, "absmean of a Gaussian zeroes about a third");
    }
}
