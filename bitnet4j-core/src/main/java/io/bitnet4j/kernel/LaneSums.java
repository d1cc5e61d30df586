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

    /** {@code v}'s lanes added in halving-tree order (see the class comment); the same result in every JVM mode. */
    static float inOrder(FloatVector v) {
        for (int half = v.length() / 2; half >= 1; half /= 2) {
            v = v.add(v.slice(half)); // slice(half): lanes half.. moved to 0.., zeros after
        }
        return v.lane(0);
    }
}
