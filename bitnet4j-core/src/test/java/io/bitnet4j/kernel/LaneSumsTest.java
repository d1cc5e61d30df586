package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

class LaneSumsTest {
    /** The halving tree written out on an array. */
    private static float treeSum(float[] lanes) {
        float[] a = lanes.clone();
        for (int half = a.length / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) {
                a[i] += a[i + half];
            }
        }
        return a[0];
    }

    /** What the kernels do: store a vector, then add its lanes with {@link LaneSums#tree}. */
    private static float vectorTree(VectorSpecies<Float> species, float[] lanes) {
        float[] stored = new float[3 + lanes.length];
        FloatVector.fromArray(species, lanes, 0).intoArray(stored, 3);
        return LaneSums.tree(stored, 3, species.length());
    }

    @Test
    void sumsInTheHalvingTreeOrderForEveryWidth() {
        SplittableRandom random = new SplittableRandom(7);
        int orderMattered = 0;
        for (VectorSpecies<Float> species : new VectorSpecies[] {FloatVector.SPECIES_128, FloatVector.SPECIES_256,
                FloatVector.SPECIES_512, FloatVector.SPECIES_PREFERRED}) {
            for (int trial = 0; trial < 2000; trial++) {
                float[] lanes = new float[species.length()];
                for (int i = 0; i < lanes.length; i++) {
                    // mixed magnitudes, so that the order of the additions shows in the result
                    lanes[i] = (float) (random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-3, 6)));
                }
                float expected = treeSum(lanes);
                assertEquals(Float.floatToIntBits(expected),
                        Float.floatToIntBits(vectorTree(species, lanes)),
                        () -> species + " trial");
                float sequential = 0f;
                for (float v : lanes) {
                    sequential += v;
                }
                if (sequential != expected) {
                    orderMattered++;
                }
            }
        }
        assertTrue(orderMattered > 100, "the inputs should be ones where the order of the sum matters: " + orderMattered);
    }
}
