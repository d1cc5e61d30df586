package io.bitnet4j.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sampler chain against plain reference code, exact hand examples and an empirical distribution. */
class SamplerTest {
    private static final SamplerConfig PLAIN = new SamplerConfig(1f, 0, 1f, 0f, 1f, 64, 0f, 0f, 1L);

    static float[] randomLogits(SplittableRandom rnd, int n) {
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            // a coarse grid makes ties common; a few masked tokens
            l[i] = rnd.nextInt(20) == 0 ? Float.NEGATIVE_INFINITY : (float) (Math.round(rnd.nextGaussian() * 8) / 4.0);
        }
        return l;
    }

    static int referenceArgmax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void greedyIsTheArgmaxWithTiesToTheLowestId() {
        SplittableRandom rnd = new SplittableRandom(1);
        Sampler greedy = new Sampler(SamplerConfig.greedy(), 500);
        for (int trial = 0; trial < 100; trial++) {
            float[] l = randomLogits(rnd, 500);
            assertEquals(referenceArgmax(l), greedy.sample(l));
        }
        assertEquals(1, new Sampler(SamplerConfig.greedy(), 4).sample(new float[] {1, 3, 3, 2}));
    }

    @Test
    void topKOfOneIsGreedyAtAnyTemperature() {
        SplittableRandom rnd = new SplittableRandom(2);
        Sampler topOne = new Sampler(PLAIN.withTemperature(1.7f).withTopK(1), 300);
        for (int trial = 0; trial < 100; trial++) {
            float[] l = randomLogits(rnd, 300);
            assertEquals(referenceArgmax(l), topOne.sample(l));
        }
    }

    @Test
    void theSameSeedGivesTheSameTokensAndResetRestarts() {
        SamplerConfig config = SamplerConfig.defaults().withSeed(42).withRepeatPenalty(1.1f, 16);
        int[] first = run(new Sampler(config, 200), 3);
        int[] second = run(new Sampler(config, 200), 3);
        assertArrayEquals(first, second);
        assertFalse(java.util.Arrays.equals(first, run(new Sampler(config.withSeed(43), 200), 3)), "another seed, other tokens");
        Sampler s = new Sampler(config, 200);
        run(s, 3);
        s.reset();
        assertArrayEquals(first, run(s, 3));
    }

    /** 300 draws on seeded random logits, each accepted (so the penalties take part). */
    private static int[] run(Sampler s, long logitSeed) {
        SplittableRandom rnd = new SplittableRandom(logitSeed);
        int[] out = new int[300];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.sample(randomLogits(rnd, 200));
            s.accept(out[i]);
        }
        return out;
    }

    @Test
    void filtersKeepWhatAPlainImplementationKeeps() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[] ks = {0, 1, 5, 50, 400};
        float[] ps = {1f, 0.9f, 0.5f, 0.05f};
        float[] minPs = {0f, 0.05f, 0.3f};
        int n = 200;
        int[] ids = new int[n];
        float[] probs = new float[n];
        for (int trial = 0; trial < 200; trial++) {
            float[] l = randomLogits(rnd, n);
            SamplerConfig c = PLAIN.withTemperature(0.7f).withTopK(ks[rnd.nextInt(ks.length)])
                    .withTopP(ps[rnd.nextInt(ps.length)]).withMinP(minPs[rnd.nextInt(minPs.length)]);
            Map<Integer, Double> expected = reference(l, c);
            int count = new Sampler(c, n).candidates(l, ids, probs);
            Map<Integer, Double> actual = new HashMap<>();
            for (int i = 0; i < count; i++) {
                actual.put(ids[i], (double) probs[i]);
            }
            assertEquals(expected.keySet(), actual.keySet(), c.toString());
            expected.forEach((id, p) -> assertEquals(p, actual.get(id), 1e-6, "p(" + id + ") " + c));
        }
    }

    /** The chain written plainly: sort everything, cut, cut, filter, softmax at the temperature. */
    static Map<Integer, Double> reference(float[] l, SamplerConfig c) {
        List<Integer> cand = new ArrayList<>();
        for (int i = 0; i < l.length; i++) {
            if (l[i] != Float.NEGATIVE_INFINITY) {
                cand.add(i);
            }
        }
        cand.sort(Comparator.<Integer>comparingDouble(i -> -l[i]).thenComparingInt(i -> i));
        if (c.topK() > 0 && c.topK() < cand.size()) {
            cand = cand.subList(0, c.topK());
        }
        if (c.topP() < 1) {
            double[] p = softmax(l, cand, 1f);
            double cum = 0;
            int keep = cand.size();
            for (int i = 0; i < cand.size(); i++) {
                cum += p[i];
                if (cum >= c.topP()) {
                    keep = i + 1;
                    break;
                }
            }
            cand = cand.subList(0, keep);
        }
        if (c.minP() > 0) {
            double max = l[cand.get(0)];
            List<Integer> kept = new ArrayList<>();
            for (int id : cand) {
                if (l[id] >= max + Math.log(c.minP())) {
                    kept.add(id);
                }
            }
            cand = kept;
        }
        double[] p = softmax(l, cand, c.temperature());
        Map<Integer, Double> out = new HashMap<>();
        for (int i = 0; i < cand.size(); i++) {
            out.put(cand.get(i), p[i]);
        }
        return out;
    }

    static double[] softmax(float[] l, List<Integer> ids, float t) {
        double max = ids.stream().mapToDouble(i -> l[i]).max().orElseThrow();
        double[] p = ids.stream().mapToDouble(i -> Math.exp((l[i] - max) / t)).toArray();
        double sum = java.util.Arrays.stream(p).sum();
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void drawsFollowTheSoftmaxAtTheTemperature() {
        float[] logits = {2f, 1f, 0.5f, 0f, -1f, -3f};
        for (float t : new float[] {0.8f, 2f}) {
            Sampler s = new Sampler(PLAIN.withTemperature(t).withSeed(1234), logits.length);
            int draws = 60_000;
            int[] counts = new int[logits.length];
            for (int i = 0; i < draws; i++) {
                counts[s.sample(logits)]++;
            }
            double[] p = softmax(logits, List.of(0, 1, 2, 3, 4, 5), t);
            double chi2 = 0;
            for (int i = 0; i < logits.length; i++) {
                double e = p[i] * draws;
                chi2 += (counts[i] - e) * (counts[i] - e) / e;
            }
            // 5 degrees of freedom: P(chi2 > 25) ≈ 1.4e-4 for a correct sampler
            assertTrue(chi2 < 25, "chi-square " + chi2 + " at temperature " + t);
        }
    }

    @Test
    void maskedTokensAreNeverDrawn() {
        float[] logits = {0f, Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY};
        Sampler s = new Sampler(PLAIN.withSeed(9), 4);
        for (int i = 0; i < 2000; i++) {
            int t = s.sample(logits);
            assertTrue(t == 0 || t == 2);
        }
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        Sampler s = new Sampler(PLAIN.withRepeatPenalty(2f, 8), 4);
        s.accept(0);
        s.accept(1);
        s.accept(0);
        // tokens 0 and 1 were seen: 2.0 / 2 = 1.0, -1.0 * 2 = -2.0; 2 and 3 unchanged
        assertProbabilities(s, new float[] {2f, -1f, 0.5f, 1f}, new float[] {1f, -2f, 0.5f, 1f});
    }

    @Test
    void penaltiesLookOnlyAtTheLastN() {
        Sampler s = new Sampler(SamplerConfig.greedy().withRepeatPenalty(1.5f, 2), 8);
        float[] logits = {2f, 1.9f, 0, 0, 0, 0, 0, 0};
        s.accept(0);
        assertEquals(1, s.sample(logits), "2 / 1.5 < 1.9");
        s.accept(5);
        s.accept(6);
        assertEquals(0, s.sample(logits), "token 0 left the window of 2");
    }

    @Test
    void frequencyAndPresencePenaltiesSubtractPerCountAndOnce() {
        Sampler s = new Sampler(PLAIN.withFrequencyAndPresencePenalty(0.1f, 0.5f), 3);
        s.accept(0);
        s.accept(0);
        s.accept(1);
        // 1 - 2·0.1 - 0.5 = 0.3; 1 - 0.1 - 0.5 = 0.4; unseen 1
        assertProbabilities(s, new float[] {1f, 1f, 1f}, new float[] {0.3f, 0.4f, 1f});
    }

    private static void assertProbabilities(Sampler s, float[] logits, float[] expectedLogits) {
        int[] ids = new int[logits.length];
        float[] probs = new float[logits.length];
        int n = s.candidates(logits, ids, probs);
        assertEquals(logits.length, n);
        double[] p = softmax(expectedLogits, List.of(0, 1, 2, 3).subList(0, logits.length), 1f);
        for (int i = 0; i < n; i++) {
            assertEquals(p[ids[i]], probs[i], 1e-6, "token " + ids[i]);
        }
    }

    @Test
    void badInputIsRejected() {
        Sampler s = new Sampler(PLAIN, 3);
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[] {0, Float.NaN, 0}));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[] {0, Float.POSITIVE_INFINITY, 0}));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[2]));
        float[] masked = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        assertThrows(IllegalArgumentException.class, () -> s.sample(masked));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(SamplerConfig.greedy(), 3).sample(masked));
        assertThrows(IllegalArgumentException.class, () -> s.accept(3));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(PLAIN, 0));
        assertThrows(IllegalArgumentException.class, () -> s.candidates(new float[3], new int[1], new float[1]));
    }

    @Test
    void configIsValidated() {
        SamplerConfig d = SamplerConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withTemperature(-0.1f));
        assertThrows(IllegalArgumentException.class, () -> d.withTemperature(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withTopK(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withTopP(0f));
        assertThrows(IllegalArgumentException.class, () -> d.withTopP(1.01f));
        assertThrows(IllegalArgumentException.class, () -> d.withMinP(-0.01f));
        assertThrows(IllegalArgumentException.class, () -> d.withMinP(1.5f));
        assertThrows(IllegalArgumentException.class, () -> d.withRepeatPenalty(0f, 64));
        assertThrows(IllegalArgumentException.class, () -> d.withRepeatPenalty(1.1f, -1));
        assertThrows(IllegalArgumentException.class, () -> d.withFrequencyAndPresencePenalty(Float.NaN, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withTopP(2f));
        assertTrue(e.getMessage().contains("topP is 2.0"), e.getMessage());
    }

    @Test
    void samplingDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int vocab = 4096;
        SplittableRandom rnd = new SplittableRandom(5);
        float[][] logits = new float[4][];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = randomLogits(rnd, vocab);
        }
        Sampler s = new Sampler(SamplerConfig.defaults().withTopK(0).withRepeatPenalty(1.1f, 64), vocab);
        int sink = 0;
        for (int i = 0; i < 2000; i++) { // warm up so the JIT has compiled the loop
            sink += s.sample(logits[i & 3]);
            s.accept(i % vocab);
        }
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 500; i++) {
            sink += s.sample(logits[i & 3]);
            s.accept(i % vocab);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, allocated + " bytes allocated by 500 samples (sink " + sink + ")");
    }
}
