package io.bitnet4j.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Per-thread working memory of the matrix kernels, allocated once per worker so that a multiplication
 * allocates nothing: a kernel decodes one weight row into it and reuses that row for every token.
 */
public final class KernelScratch {
    final float[] row;
    final byte[] codes;
    final float[] blockScales;
    /** Four vectors of the widest float species (4 × 16): peer-order sums and {@link LaneSums} add lanes here. */
    final float[] lanes = new float[4 * 16];
    /** Where kernels fold the bytes their {@link ReadAhead} touches load, so that the JIT cannot drop the loads. */
    int sink;
    /**
     * How far ahead the kernels touch the weights they stream ({@link ReadAhead}), in bytes: set by {@link MatMul}
     * from its {@link ReadAheadTuner} before each dispatch.
     */
    long readAhead = ReadAheadTuner.initialDistance();
    final int[] laneSums = new int[16];
    private MemorySegment tables = MemorySegment.NULL;
    /** Whose lookup tables {@link #tables} holds: the activations, their generation and the kernel's table shape. */
    private Activations tablesOf;
    private long tablesGeneration;
    private long tablesShape;
    private float[] tileOut = new float[0];
    private MemorySegment stagedFloats = MemorySegment.NULL;
    private TernaryPairTiles.Scratch pairTiles;
    private float[] rowBlock = new float[0];

    /** Scratch for weight rows of up to {@code maxCols} elements. */
    public KernelScratch(int maxCols) {
        if (maxCols <= 0) {
            throw new IllegalArgumentException("kernel scratch needs a positive row length, got " + maxCols);
        }
        this.row = new float[maxCols];
        this.codes = new byte[maxCols];
        this.blockScales = new float[maxCols / 32 + 1];
    }

    /**
     * At least {@code bytes} of 64-byte-aligned off-heap memory for a vectorized kernel's tables, allocated on
     * first use and kept (so a session's decode loop allocates it once).
     */
    MemorySegment tables(long bytes) {
        if (tables.byteSize() < bytes) {
            tables = Arena.ofAuto().allocate(bytes, 64);
            tablesOf = null;
        }
        return tables;
    }

    /**
     * Whether {@link #tables} still holds the tables built from {@code in} (at its current generation) in the shape
     * {@code shape} (a kernel's key for its table layout and token count): the Q, K and V projections, and the FFN's
     * gate and up, multiply the same activations one after another, and each thread builds its tables once for them.
     */
    boolean holdsTables(Activations in, long shape) {
        return tablesOf == in && tablesGeneration == in.generation() && tablesShape == shape;
    }

    /** Records that {@link #tables} now holds the tables of {@code in} in {@code shape} (see {@link #holdsTables}). */
    void keptTables(Activations in, long shape) {
        tablesOf = in;
        tablesGeneration = in.generation();
        tablesShape = shape;
    }

    /** Forgets what {@link #tables} holds (a kernel is about to overwrite them with tables it will not keep). */
    void dropTables() {
        tablesOf = null;
    }

    /** At least {@code n} floats for a kernel's per-tile results, allocated on first use and kept. */
    float[] tileOut(int n) {
        if (tileOut.length < n) {
            tileOut = new float[n];
        }
        return tileOut;
    }

    /** How kernels write and read the floats of {@link #stagedFloats}: little-endian, as their vector loads read them. */
    static final ValueLayout.OfFloat STAGED = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * At least {@code n} floats of 64-byte-aligned off-heap memory for a kernel's rearranged activations, allocated
     * on first use and kept: a kernel loop addresses it with the long offsets it already has for the weights, where
     * a {@code float[]} index costs a sign extension and an add per load.
     */
    MemorySegment stagedFloats(int n) {
        if (stagedFloats.byteSize() < (long) n * Float.BYTES) {
            stagedFloats = Arena.ofAuto().allocate((long) n * Float.BYTES, 64);
        }
        return stagedFloats;
    }

    /** At least {@code n} floats for a block of decoded weight rows, allocated on first use and kept. */
    float[] rowBlock(int n) {
        if (rowBlock.length < n) {
            rowBlock = new float[n];
        }
        return rowBlock;
    }

    /** The working memory of {@link TernaryPairTiles}, made on first use. */
    TernaryPairTiles.Scratch pairTiles() {
        if (pairTiles == null) {
            pairTiles = new TernaryPairTiles.Scratch();
        }
        return pairTiles;
    }

    /** The longest weight row this scratch can hold. */
    public int maxCols() {
        return row.length;
    }
}
