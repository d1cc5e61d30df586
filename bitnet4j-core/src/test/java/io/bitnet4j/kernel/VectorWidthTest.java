package io.bitnet4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The kernels' vector width follows {@code -Dbitnet4j.vector.bits}: the build runs the kernel tests once at the
 * CPU's preferred width and once with 256 (surefire execution {@code vector-256}), and this says which one ran.
 */
class VectorWidthTest {
    @Test
    void theSpeciesHaveTheWidthTheSettingAsksFor() {
        String setting = System.getProperty(VectorWidth.PROPERTY, "preferred");
        int bits = VectorWidth.chooseBits(setting);
        assertEquals(bits, VectorWidth.BITS, "width for -D" + VectorWidth.PROPERTY + "=" + setting);
        if (bits != 0) {
            assertEquals(bits, VectorWidth.FLOATS.vectorBitSize());
            assertEquals(bits, VectorWidth.SHORTS.vectorBitSize());
            assertEquals(bits / 2, VectorWidth.HALF_SHORTS.vectorBitSize());
        }
        System.out.println("kernel tests at " + VectorWidth.BITS + " bits (-D" + VectorWidth.PROPERTY + "=" + setting + ")");
    }

    @Test
    void aWidthOtherThan256Or512IsRefused() {
        assertEquals(256, VectorWidth.chooseBits(" 256 "));
        assertEquals(512, VectorWidth.chooseBits("512"));
        assertThrows(IllegalArgumentException.class, () -> VectorWidth.chooseBits("128"));
        assertThrows(IllegalArgumentException.class, () -> VectorWidth.chooseBits("wide"));
    }
}
