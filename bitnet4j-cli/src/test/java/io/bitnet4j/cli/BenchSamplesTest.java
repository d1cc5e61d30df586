package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** llama-bench's summary statistics and test list, on hand-worked examples. */
class BenchSamplesTest {

    @Test
    void meanSampleStddevAndMedian() {
        BenchSamples s = new BenchSamples(new double[] {4, 1, 3, 2});
        assertEquals(2.5, s.mean());
        assertEquals(Math.sqrt(5.0 / 3), s.stddev(), 1e-12); // squares 2.25+0.25+0.25+2.25 over n-1 = 3
        assertEquals(2.5, s.median());
        assertEquals(3, new BenchSamples(new double[] {5, 3, 1}).median());
        assertEquals(0, new BenchSamples(new double[] {7}).stddev());
    }

    @Test
    void testsComeInLlamaBenchsOrderAndZeroMeansNone() {
        List<BenchTest> tests = BenchTest.of(new int[] {0, 64}, new int[] {16}, new int[] {2, 1});
        assertEquals(List.of(new BenchTest(64, 0, 2), new BenchTest(0, 16, 2), new BenchTest(64, 0, 1), new BenchTest(0, 16, 1)),
                tests);
        assertEquals("pp64", tests.get(0).name());
        assertEquals("tg16", tests.get(1).name());
        assertThrows(IllegalArgumentException.class, () -> new BenchTest(4, 4, 1));
    }
}
