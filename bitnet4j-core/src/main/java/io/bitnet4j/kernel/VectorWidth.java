package io.bitnet4j.kernel;

import java.util.Locale;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width of the vectorized kernels, chosen once per JVM from the system property
 * {@value #PROPERTY}: {@code 512}, {@code 256} or {@code preferred} (the default: the CPU's widest, so
 * 512 with AVX-512, 256 with AVX2). The species are static finals because the JIT compiles Vector API code
 * well only when the species is a constant; the kernels are written once against these fields, so the width
 * is a parameter, not a copy per width. Loading this class fails with {@link NoClassDefFoundError} when the
 * {@code jdk.incubator.vector} module is absent, which is how {@link MatrixKernels#defaults()} notices.
 */
final class VectorWidth {
    /** The system property naming the width. */
    static final String PROPERTY = "bitnet4j.vector.bits";

    /** Bits per vector: 256 or 512, or 0 if the choice is not one the kernels support (they are not used then). */
    static final int BITS = chooseBits(System.getProperty(PROPERTY, "preferred"));

    /** 16-bit lanes of a full vector: the rows of a lookup-table tile. */
    static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED.withShape(shape(BITS));
    /** 32-bit lanes of a full vector. */
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED.withShape(shape(BITS));
    /** float lanes of a full vector. */
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED.withShape(shape(BITS));
    /** 16-bit lanes of half a vector: as many as {@link #FLOATS}, for widening f16 storage to float. */
    static final VectorSpecies<Short> HALF_SHORTS = ShortVector.SPECIES_PREFERRED.withShape(shape(BITS / 2));
    /** 8-bit lanes of half a vector: as many as {@link #SHORTS}, for widening int8 values to 16 bits. */
    static final VectorSpecies<Byte> HALF_BYTES = ByteVector.SPECIES_PREFERRED.withShape(shape(BITS / 2));
    /** 8-bit lanes of a quarter vector: as many as {@link #FLOATS}, for widening int8 codes to int or float. */
    static final VectorSpecies<Byte> QUARTER_BYTES = ByteVector.SPECIES_PREFERRED.withShape(shape(BITS / 4));

    private VectorWidth() {}

    static int chooseBits(String choice) {
        int bits = switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "512" -> 512;
            case "256" -> 256;
            case "preferred", "" -> VectorShape.preferredShape().vectorBitSize();
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be 512, 256 or preferred, not '" + choice + "'");
        };
        return bits == 256 || bits == 512 ? bits : 0;
    }

    private static VectorShape shape(int bits) {
        return VectorShape.forBitSize(bits == 0 ? 256 : bits);
    }
}
