package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bitnet4j.kernel.WorkerPool;
import io.bitnet4j.quant.ActivationQuantizer;
import io.bitnet4j.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The vector matmul against a plain double-precision loop, and the trainer's parallel activation quantizer against the library's. */
class FloatMatmulTest {
    @ParameterizedTest
    @CsvSource({"1,1,1", "2,4,16", "5,7,3", "9,70,37", "33,65,128", "64,130,257"})
    void matchesAScalarReference(int m, int n, int k) {
        SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = GradCheck.gaussian(r, m * k + 3, 1);
        float[] b = GradCheck.gaussian(r, n * k + 5, 1);
        float[] c = GradCheck.gaussian(r, m * n + 2, 1);
        float[] before = c.clone();
        try (WorkerPool pool = new WorkerPool(3)) {
            FloatMatmul.abT(a, 3, b, 5, c, 2, m, n, k, true, pool);
            float[] once = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) a[3 + i * k + p] * b[5 + j * k + p];
                    }
                    int at = 2 + i * n + j;
                    assertEquals(before[at] + s, c[at], 1e-5 * (k + Math.abs(s)), "C[" + i + "," + j + "]");
                }
            }
            // Overwrite mode, any thread count: the same bits.
            float[] c1 = new float[m * n];
            float[] c2 = new float[m * n];
            FloatMatmul.abT(a, 3, b, 5, c1, 0, m, n, k, false, pool);
            try (WorkerPool single = new WorkerPool(1)) {
                FloatMatmul.abT(a, 3, b, 5, c2, 0, m, n, k, false, single);
            }
            assertArrayEquals(c1, c2);
            assertEquals(before[0], once[0]); // the offset protects elements before C
        }
    }

    @Test
    void transposeAndBadShapes() {
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] t = new float[6];
        try (WorkerPool pool = new WorkerPool(2)) {
            FloatMatmul.transpose(x, 0, 2, 3, t, 0, pool);
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t);
            assertThrows(IllegalArgumentException.class, () -> FloatMatmul.abT(x, 0, x, 0, t, 0, 2, 2, 4, false, pool));
            assertThrows(IllegalArgumentException.class, () -> FloatMatmul.abT(x, 0, x, 0, t, 0, 0, 2, 1, false, pool));
        }
    }

    @Test
    void parallelFakeQuantizationEqualsActivationQuantizer() {
        SplittableRandom r = new SplittableRandom(9);
        int rows = 37, in = 48;
        float[] x = GradCheck.gaussian(r, rows * in, 3);
        java.util.Arrays.fill(x, 5 * in, 6 * in, 0f); // an all-zero token
        try (WorkerPool pool = new WorkerPool(2)) {
            assertArrayEquals(ActivationQuantizer.int8PerToken().fakeQuantize(x, Shape.of(rows, in)),
                    BitLinearLayer.fakeQuantizeTokens(x, rows, in, pool));
        }
    }
}
