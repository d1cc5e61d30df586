package io.bitnet4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One of llama-bench's tests: a prompt of {@code nPrompt} tokens into an empty context ({@code pp512}) or {@code nGen}
 * tokens decoded one at a time from an empty context ({@code tg128}), at {@code threads} threads.
 */
record BenchTest(int nPrompt, int nGen, int threads) {
    BenchTest {
        if ((nPrompt == 0) == (nGen == 0) || nPrompt < 0 || nGen < 0) {
            throw new IllegalArgumentException("a test is a prompt or a generation, not pp" + nPrompt + "+tg" + nGen);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " must be at least 1");
        }
    }

    /** llama-bench's name for it: {@code pp512} or {@code tg128}. */
    String name() {
        return nPrompt > 0 ? "pp" + nPrompt : "tg" + nGen;
    }

    /** Tokens one run processes. */
    int tokens() {
        return nPrompt + nGen;
    }

    /**
     * The tests of the lists, in llama-bench's order: for each thread count, the prompts then the generations; a
     * length of 0 stands for no test, as in llama-bench ({@code -p 0 -n 128} times decoding alone).
     */
    static List<BenchTest> of(int[] prompts, int[] gens, int[] threads) {
        check("-p", prompts, 0);
        check("-n", gens, 0);
        check("-t", threads, 1);
        List<BenchTest> tests = new ArrayList<>();
        for (int t : threads) {
            for (int p : prompts) {
                if (p > 0) {
                    tests.add(new BenchTest(p, 0, t));
                }
            }
            for (int n : gens) {
                if (n > 0) {
                    tests.add(new BenchTest(0, n, t));
                }
            }
        }
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("nothing to measure: -p and -n are all 0 (give a prompt or a generation length)");
        }
        return tests;
    }

    private static void check(String option, int[] values, int min) {
        if (values.length == 0) {
            throw new IllegalArgumentException(option + " needs at least one value");
        }
        for (int v : values) {
            if (v < min || v > 1 << 20) {
                throw new IllegalArgumentException(option + " value " + v + " is out of range " + min + ".." + (1 << 20));
            }
        }
    }
}
