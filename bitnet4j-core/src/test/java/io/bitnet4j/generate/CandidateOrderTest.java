package io.bitnet4j.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Heap sort and top-k selection against a boxed sort with the same order (logit descending, id ascending). */
class CandidateOrderTest {

    @Test
    void sortAndSelectAgreeWithAPlainSort() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(60);
            float[] logits = new float[n + 10];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = rnd.nextInt(6) - 3; // many ties
            }
            int[] ids = IntStream.range(0, n).map(i -> i + rnd.nextInt(10)).distinct().toArray();
            int[] expected = IntStream.of(ids).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
                    .mapToInt(Integer::intValue).toArray();
            int[] sorted = ids.clone();
            CandidateOrder.sort(sorted, sorted.length, logits);
            assertArrayEquals(expected, sorted);
            int k = 1 + rnd.nextInt(ids.length);
            int[] top = ids.clone();
            CandidateOrder.selectTop(top, top.length, k, logits);
            assertArrayEquals(java.util.Arrays.copyOf(expected, k), java.util.Arrays.copyOf(top, k));
        }
    }
}
