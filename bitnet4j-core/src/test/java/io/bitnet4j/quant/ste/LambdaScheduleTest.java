package io.bitnet4j.quant.ste;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LambdaScheduleTest {
    private static final long N = 1000;

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void linearAtLandmarks() {
        LambdaSchedule s = LambdaSchedule.linear(N);
        assertEquals(0.0, s.lambda(0));
        assertEquals(0.5, s.lambda(N / 2));
        assertEquals(1.0, s.lambda(N));
        assertEquals(1.0, s.lambda(2 * N));
        assertEquals(0.123, s.lambda(123), 1e-15);
    }

    @Test
    void exponentialAtLandmarks() {
        LambdaSchedule s = new LambdaSchedule.Exponential(N, 5.0);
        assertEquals(0.0, s.lambda(0));
        assertEquals((Math.exp(2.5) - 1) / (Math.exp(5) - 1), s.lambda(N / 2), 1e-12);
        assertEquals(1.0, s.lambda(N));
        assertEquals(1.0, s.lambda(2 * N));
        assertEquals(s, LambdaSchedule.exponential(N));
        assertEquals((Math.exp(5.0 * 999 / 1000) - 1) / (Math.exp(5) - 1), s.lambda(N - 1), 1e-12, "continuous into N");
    }

    @Test
    void sigmoidAtLandmarks() {
        LambdaSchedule s = new LambdaSchedule.Sigmoid(N, 10.0);
        assertEquals(0.0, s.lambda(0), 1e-15);
        assertEquals(0.5, s.lambda(N / 2), 1e-12);
        assertEquals(1.0, s.lambda(N));
        assertEquals(1.0, s.lambda(2 * N));
        double lo = sigmoid(-5);
        double hi = sigmoid(5);
        assertEquals((sigmoid(10 * (250.0 / N - 0.5)) - lo) / (hi - lo), s.lambda(250), 1e-12);
        assertEquals(1 - s.lambda(250), s.lambda(750), 1e-12, "point-symmetric about N/2");
    }

    @Test
    void constantAndNone() {
        assertEquals(0.3, LambdaSchedule.constant(0.3).lambda(0));
        assertEquals(0.3, LambdaSchedule.constant(0.3).lambda(5 * N));
        assertEquals(1.0, LambdaSchedule.none().lambda(0));
        assertEquals(0.0, LambdaSchedule.constant(0).lambda(7));
    }

    @Test
    void everyRampIsMonotoneAndWithinUnitInterval() {
        for (LambdaSchedule s : List.of(LambdaSchedule.linear(N), LambdaSchedule.exponential(N), LambdaSchedule.sigmoid(N),
                new LambdaSchedule.Exponential(N, 0.01), new LambdaSchedule.Sigmoid(N, 40))) {
            double prev = -1;
            for (long t = 0; t <= 2 * N; t++) {
                double l = s.lambda(t);
                assertTrue(l >= prev, s + " decreases at step " + t);
                assertTrue(l >= 0 && l <= 1, s + " out of [0,1] at step " + t + ": " + l);
                prev = l;
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LambdaSchedule.linear(N).lambda(-1)).getMessage().contains("step is -1"));
        assertThrows(IllegalArgumentException.class, () -> LambdaSchedule.sigmoid(N).lambda(-5));
        assertThrows(IllegalArgumentException.class, () -> LambdaSchedule.none().lambda(-1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LambdaSchedule.linear(0)).getMessage().contains("warm-up"));
        assertThrows(IllegalArgumentException.class, () -> new LambdaSchedule.Exponential(N, 0));
        assertThrows(IllegalArgumentException.class, () -> new LambdaSchedule.Sigmoid(N, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LambdaSchedule.constant(1.5));
        assertThrows(IllegalArgumentException.class, () -> LambdaSchedule.constant(Double.NaN));
    }
}
