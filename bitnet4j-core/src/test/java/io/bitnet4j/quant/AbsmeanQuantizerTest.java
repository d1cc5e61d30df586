package io.bitnet4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.I2sCase;
import io.bitnet4j.testing.SeededArrays;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AbsmeanQuantizerTest {

    private static final float[] ISSUE_EXAMPLE = {-2f, -0.5f, 0f, 0.5f, 2f}; // mean |W| = 1: ±0.5 sit on a half
    private static final Shape ISSUE_SHAPE = Shape.of(1, 5);

    private static byte[] trits(AbsmeanQuantizer q) {
        return q.quantize(ISSUE_EXAMPLE, ISSUE_SHAPE).trits();
    }

    @Test
    void issueExampleWithAnExactHalfRoundsAwayFromZeroOrToEven() {
        var tensor = Granularity.perTensor();
        // CLAMP divides by max(1, eps) = 1 exactly, so the rounding mode decides the halves
        assertArrayEquals(new byte[] {-1, -1, 0, 1, 1},
                trits(new AbsmeanQuantizer(tensor, Rounding.HALF_AWAY_FROM_ZERO, 1e-5f, EpsMode.CLAMP)));
        assertArrayEquals(new byte[] {-1, 0, 0, 0, 1},
                trits(new AbsmeanQuantizer(tensor, Rounding.HALF_EVEN, 1e-5f, EpsMode.CLAMP)));
        // ADD with eps 0 is the same division by exactly 1
        assertArrayEquals(new byte[] {-1, -1, 0, 1, 1},
                trits(new AbsmeanQuantizer(tensor, Rounding.HALF_AWAY_FROM_ZERO, 0f, EpsMode.ADD)));
        assertArrayEquals(new byte[] {-1, 0, 0, 0, 1},
                trits(new AbsmeanQuantizer(tensor, Rounding.HALF_EVEN, 0f, EpsMode.ADD)));
        // ADD with the default eps divides by 1.00001: ±0.5 fall just short of the half under either rounding
        assertArrayEquals(new byte[] {-1, 0, 0, 0, 1}, trits(AbsmeanQuantizer.of(tensor)));
        assertArrayEquals(new byte[] {-1, 0, 0, 0, 1},
                trits(new AbsmeanQuantizer(tensor, Rounding.HALF_EVEN, 1e-5f, EpsMode.ADD)));
    }

    @Test
    void issueExampleScales() {
        var tensor = Granularity.perTensor();
        assertEquals(1f + 1e-5f, AbsmeanQuantizer.of(tensor).quantize(ISSUE_EXAMPLE, ISSUE_SHAPE).scales()[0]);
        assertEquals(1f, new AbsmeanQuantizer(tensor, Rounding.HALF_EVEN, 1e-5f, EpsMode.CLAMP)
                .quantize(ISSUE_EXAMPLE, ISSUE_SHAPE).scales()[0]);
    }

    /** Which scale unit flat element i of a [rows, cols] tensor belongs to, written out per granularity. */
    private static int unitOf(Granularity g, int rows, int cols, int i) {
        return switch (g) {
            case Granularity.PerTensor t -> 0;
            case Granularity.PerRow r -> i / cols;
            case Granularity.PerGroup p -> (i / cols) * (cols / p.size()) + (i % cols) / p.size();
            case Granularity.PerBlock b -> i / b.size();
        };
    }

    @Test
    void everyGranularityMatchesAPlainScalarReference() {
        int rows = 6;
        int cols = 32;
        float[] w = SeededArrays.gaussian(11, rows * cols, 0.02);
        List<Granularity> all = List.of(Granularity.perTensor(), Granularity.perRow(), Granularity.perGroup(8),
                Granularity.perBlock(16), Granularity.perBlock(48)); // 48 straddles rows
        for (Granularity g : all) {
            for (EpsMode mode : EpsMode.values()) {
                TernaryWeight tw = new AbsmeanQuantizer(g, Rounding.HALF_AWAY_FROM_ZERO, 1e-5f, mode).quantize(w, Shape.of(rows, cols));
                int units = tw.scales().length;
                double[] sum = new double[units];
                int[] count = new int[units];
                for (int i = 0; i < w.length; i++) {
                    sum[unitOf(g, rows, cols, i)] += Math.abs(w[i]);
                    count[unitOf(g, rows, cols, i)]++;
                }
                for (int i = 0; i < w.length; i++) {
                    int u = unitOf(g, rows, cols, i);
                    double mean = sum[u] / count[u];
                    double gamma = mode == EpsMode.ADD ? mean + 1e-5 : Math.max(mean, 1e-5);
                    assertEquals(gamma, tw.scales()[u], gamma * 1e-6, g + " " + mode + " scale of unit " + u);
                    double r = w[i] / gamma;
                    long expected = Math.max(-1, Math.min(1, (long) Math.signum(r) * (long) Math.floor(Math.abs(r) + 0.5)));
                    assertEquals(expected, tw.trit(i), g + " " + mode + " trit " + i);
                }
            }
        }
    }

    @Test
    void tritsKeepTheSignAndDequantizeWithinHalfAScaleUnlessClamped() {
        float[] w = SeededArrays.gaussian(12, 64 * 128, 1.0);
        TernaryWeight tw = AbsmeanQuantizer.of(Granularity.perGroup(64)).quantize(w, Shape.of(64, 128));
        float[] back = tw.dequantize();
        for (int i = 0; i < w.length; i++) {
            int t = tw.trit(i);
            float gamma = tw.scaleOf(i);
            assertTrue(t == 0 || t == (int) Math.signum(w[i]), "sign of element " + i);
            assertEquals(Math.abs(w[i]) >= gamma / 2, t != 0, "zero exactly below half a scale, element " + i);
            if (Math.abs(w[i]) <= 1.5f * gamma) {
                assertTrue(Math.abs(w[i] - back[i]) <= gamma / 2 * (1 + 1e-6), "error of element " + i);
            }
        }
    }

    @Test
    void exactTernaryInputWithFewZerosKeepsItsTrits() {
        // with a fraction p < 1/3 of zeros, mean |W| = s(1 - p), so ±s / gamma lies in [1, 1.5) and rounds back to ±1
        SplittableRandom random = new SplittableRandom(13);
        byte[] t = new byte[32 * 64];
        float[] w = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (random.nextInt(5) == 0 ? 0 : random.nextBoolean() ? 1 : -1);
            w[i] = t[i] * 0.03f;
        }
        for (Granularity g : List.of(Granularity.perTensor(), Granularity.perRow(), Granularity.perBlock(256))) {
            assertArrayEquals(t, AbsmeanQuantizer.of(g).quantize(w, Shape.of(32, 64)).trits(), g.toString());
        }
    }

    @Test
    void gaussianSparsityIsTheFractionBelowHalfTheMeanAbsolute() {
        float[] w = SeededArrays.gaussian(14, 256 * 256, 1.0);
        TernaryWeight tw = AbsmeanQuantizer.of(Granularity.perTensor()).quantize(w, Shape.of(256, 256));
        int zeros = 0;
        for (byte t : tw.trits()) {
            zeros += t == 0 ? 1 : 0;
        }
        assertEquals((double) zeros / w.length, tw.sparsity(), 0.0);
        // P(|z| < E|z| / 2) for z ~ N(0, 1), with E|z| = sqrt(2 / pi): erf(sqrt(1 / pi) / 2) ≈ 0.3101
        assertEquals(0.3101, tw.sparsity(), 0.01);
    }

    @Test
    void memoryBytesAndCompressionRatio() {
        float[] w = SeededArrays.gaussian(15, 256 * 512, 0.02);
        TernaryWeight grouped = AbsmeanQuantizer.of(Granularity.perGroup(64)).quantize(w, Shape.of(256, 512));
        assertEquals(256 * 512 / 4 + 4 * (256 * 512 / 64), grouped.memoryBytes()); // 32768 packed + 2048 scales
        assertEquals(4.0 * 256 * 512 / 40960, grouped.compressionRatio(), 1e-12); // 12.8
        TernaryWeight tensor = AbsmeanQuantizer.of(Granularity.perTensor()).quantize(w, Shape.of(256, 512));
        assertEquals(32768 + 4, tensor.memoryBytes());
    }

    @Test
    void zeroWeightsQuantizeToZeroWithoutNaN() {
        float[] zeros = new float[128];
        TernaryWeight withEps = AbsmeanQuantizer.of(Granularity.perGroup(32)).quantize(zeros, Shape.of(2, 64));
        assertArrayEquals(new byte[128], withEps.trits());
        assertArrayEquals(new float[] {1e-5f, 1e-5f, 1e-5f, 1e-5f}, withEps.scales());
        TernaryWeight noEps = new AbsmeanQuantizer(Granularity.perRow(), Rounding.HALF_AWAY_FROM_ZERO, 0f, EpsMode.ADD)
                .quantize(zeros, Shape.of(2, 64));
        assertArrayEquals(new float[] {0f, 0f}, noEps.scales());
        assertArrayEquals(new float[128], noEps.dequantize());
    }

    @Test
    void fakeQuantizeIsTheDequantizedRoundTrip() {
        float[] w = SeededArrays.gaussian(16, 8 * 32, 0.5);
        AbsmeanQuantizer q = AbsmeanQuantizer.of(Granularity.perRow());
        assertArrayEquals(q.quantize(w, Shape.of(8, 32)).dequantize(), q.fakeQuantize(w, Shape.of(8, 32)));
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void rejectsNonFiniteWeightsNamingTheIndex(float bad) {
        float[] w = new float[64];
        w[37] = bad;
        var e = assertThrows(IllegalArgumentException.class,
                () -> AbsmeanQuantizer.of(Granularity.perTensor()).quantize(w, Shape.of(2, 32)));
        assertTrue(e.getMessage().contains("index 37") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
    }

    @Test
    void rejectsBadShapesAndArguments() {
        AbsmeanQuantizer q = AbsmeanQuantizer.of(Granularity.perGroup(48));
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[0], Shape.of(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> q.quantize(null, Shape.of(1, 48)));
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[48], null));
        var length = assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[47], Shape.of(1, 48)));
        assertTrue(length.getMessage().contains("47"), length.getMessage());
        var group = assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[128], Shape.of(2, 64)));
        assertTrue(group.getMessage().contains("not a multiple of the group size 48"), group.getMessage());
        var block = assertThrows(IllegalArgumentException.class,
                () -> AbsmeanQuantizer.of(Granularity.perBlock(256)).quantize(new float[128], Shape.of(2, 64)));
        assertTrue(block.getMessage().contains("block size 256"), block.getMessage());
    }

    @Test
    void rejectsBadConstruction() {
        var tensor = Granularity.perTensor();
        var half = Rounding.HALF_AWAY_FROM_ZERO;
        assertThrows(IllegalArgumentException.class, () -> new AbsmeanQuantizer(null, half, 1e-5f, EpsMode.ADD));
        assertThrows(IllegalArgumentException.class, () -> new AbsmeanQuantizer(tensor, null, 1e-5f, EpsMode.ADD));
        assertThrows(IllegalArgumentException.class, () -> new AbsmeanQuantizer(tensor, half, 1e-5f, null));
        assertThrows(IllegalArgumentException.class, () -> new AbsmeanQuantizer(tensor, half, -1e-5f, EpsMode.ADD));
        assertThrows(IllegalArgumentException.class, () -> new AbsmeanQuantizer(tensor, half, Float.NaN, EpsMode.ADD));
        assertThrows(IllegalArgumentException.class, () -> new AbsmeanQuantizer(tensor, half, 0f, EpsMode.CLAMP));
        assertThrows(IllegalArgumentException.class, () -> new AbsmeanQuantizer(tensor, half, Float.MIN_VALUE, EpsMode.CLAMP));
    }

    /** bitnet.cpp's converter (weight_quant: 1 / max(mean, 1e-5), round half to even, per tensor) on the I2_S fixtures. */
    @ParameterizedTest
    @ValueSource(strings = {"w8x128", "w256x512"})
    void clampModeMatchesBitnetCppConverter(String name) throws IOException {
        I2sCase c = I2sCase.load(name);
        TernaryWeight tw = new AbsmeanQuantizer(Granularity.perTensor(), Rounding.HALF_EVEN, 1e-5f, EpsMode.CLAMP)
                .quantize(c.weights(), Shape.of(c.rows(), c.cols()));
        assertArrayEquals(c.trits(), tw.trits());
        // numpy sums the mean pairwise in float32, we in double: allow the scale an ulp
        assertEquals(c.scale(), tw.scales()[0], Math.ulp(c.scale()));
        float[] back = tw.dequantize();
        for (int i = 0; i < back.length; i++) {
            assertEquals(c.ternary()[i], back[i], Math.ulp(c.scale()), "element " + i);
        }
    }
}
