package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Which kernels {@link MatrixKernels#defaults()} binds: the vectorized ones unless {@code -Dbitnet4j.kernels=scalar},
 * a clear error for a malformed choice, and shapes the vectorized kernels do not serve left to the scalar ones.
 */
@ResourceLock("system properties")
class KernelSelectionTest {

    @Test
    void thePropertyChoosesBetweenVectorAndScalarKernels() {
        GgufTensor t = Harness.tensor("w", GgmlType.TQ2_0, 3, 256, TQ2_0.FORMAT.pack(LutKernelTest.randomTrits(768, 1), new float[] {1, 2, 3}));
        String before = System.getProperty(MatrixKernels.PROPERTY);
        try {
            System.setProperty(MatrixKernels.PROPERTY, "scalar");
            assertInstanceOf(TernaryBlockMatrix.class, MatrixKernels.defaults().bind(t));
            System.setProperty(MatrixKernels.PROPERTY, "vector");
            assertInstanceOf(TernaryLutMatrix.class, MatrixKernels.defaults().bind(t));
            System.setProperty(MatrixKernels.PROPERTY, "fastest");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, MatrixKernels::defaults);
            assertTrue(e.getMessage().contains("vector or scalar"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(MatrixKernels.PROPERTY);
            } else {
                System.setProperty(MatrixKernels.PROPERTY, before);
            }
        }
    }

    @Test
    void rowsTheLookupTablesCannotTakeGoToTheScalarKernel() {
        // I2_S rows of 128 + 64 are not whole 128-runs: the scalar kernel's own check names the problem
        GgufTensor odd = Harness.tensor("w", GgmlType.I2_S, 2, 192, new byte[2 * 192 / 4 + 32]);
        assertTrue(MatrixKernels.vectorProvider().orElseThrow().bind(odd, 2, 192).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MatrixKernels(List.of(MatrixKernels.vectorProvider().orElseThrow(), ScalarKernels.INSTANCE)).bind(odd));
        assertTrue(e.getMessage().contains("not a multiple of 128"), e.getMessage());
    }
}
