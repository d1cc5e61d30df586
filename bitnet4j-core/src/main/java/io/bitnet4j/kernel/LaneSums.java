package io.bitnet4j.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a float vector's lanes in one fixed order. {@code reduceLanes(ADD)} leaves the order unspecified, and in
 * practice the interpreter adds lane by lane while C2 adds in a tree: the same product then differs in its last bits
 * before and after the JIT compiles the kernel, so a seeded generation could change from run to run. Here the order
 * is always the halving tree: lane {@code i} plus lane {@code i + L/2}, then again on the first half, down to lane 0.
 */
final class LaneSums {
    private LaneSums() {}

    /**
     * The {@code L} lanes a kernel stored at {@code lanes[at .. at + L)} added in halving-tree order (see the class
     * comment), in place; returns the sum. Kernels store their vectors themselves ({@code intoArray}) and pass only
     * the array: a vector handed to a method C2 does not inline would be boxed on every call.
     */
    static float tree(float[] lanes, int at, int length) {
        for (int half = length / 2; half >= 1; half /= 2) {
            for (int i = at; i < at + half; i++) {
                lanes[i] += lanes[i + half];
            }
        }
        return lanes[at];
    }
}
