package io.bitnet4j.kernel;

import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.format.TernaryBlockFormat;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * The Vector API kernels, at the width of {@link VectorWidth}: TQ1_0, TQ2_0 and I2_S repacked for lookup
 * tables ({@link TernaryLutMatrix}, {@link I2sLutMatrix}); F16 read in place ({@link F16VectorMatrix}) or, as
 * an option, through an int8 copy ({@link Int8CopyMatrix}); BF16, Q8_0, Q4_0, Q6_K and Q4_K (embeddings and output heads
 * of converted and llama-quantize files) read in place ({@link InPlaceVectorMatrix}). A repacked tensor's file pages are dropped from
 * memory after packing (they are read again only if a product must follow a peer's order, or for embedding
 * rows), so a model does not hold its weights twice. Types and shapes these kernels do not serve are left to
 * the providers after this one.
 */
final class VectorKernels implements KernelProvider {
    private final boolean int8F16;
    /** The threads the repacked layouts are arranged for ({@link LutLayout#groupTiles(int, int)}). */
    private final int threads;
    /** Where repacked layouts are kept between loads, or null. */
    private final LayoutCache cache;
    /** Whether TQ1_0 and TQ2_0 are repacked (else bound to the llama.cpp-order kernel over the file's bytes). */
    private final boolean tqLayouts;

    private VectorKernels(boolean int8F16, int threads, LayoutCache cache, boolean tqLayouts) {
        this.int8F16 = int8F16;
        this.threads = threads;
        this.cache = cache;
        this.tqLayouts = tqLayouts;
    }

    /** These kernels, keeping their repacked layouts in {@code cache}. */
    VectorKernels withCache(LayoutCache cache) {
        return new VectorKernels(int8F16, threads, cache, tqLayouts);
    }

    /** These kernels without the TQ1_0 and TQ2_0 layouts ({@link MatrixKernels#withoutTqLayouts()}). */
    VectorKernels withoutTqLayouts() {
        return new VectorKernels(int8F16, threads, cache, false);
    }

    /** These kernels, their repacked layouts arranged for products on {@code threads} threads. */
    VectorKernels withThreads(int threads) {
        return new VectorKernels(int8F16, threads, cache, tqLayouts);
    }

    /**
     * The provider, or null when the chosen width is not one the kernels support (under 256 bits). Throws
     * {@link NoClassDefFoundError} when the {@code jdk.incubator.vector} module is absent.
     */
    static KernelProvider create(boolean int8F16) {
        SegmentKinds.preload(); // before any kernel is compiled: see there
        return VectorWidth.BITS == 0 ? null : new VectorKernels(int8F16, Runtime.getRuntime().availableProcessors(), null, true);
    }

    @Override
    public Optional<WeightMatrix> bind(GgufTensor t, int rows, int cols) {
        MemorySegment data = SegmentKinds.plain(t.data()); // the kernels see native segments only: see SegmentKinds
        WeightMatrix m = switch (t.type()) {
            case TQ1_0 -> tqLayouts ? ternary(t.name(), t.type(), rows, cols, data, TQ1_0.FORMAT) : peerOrder(t, rows, cols, data, TQ1_0.FORMAT);
            case TQ2_0 -> tqLayouts ? ternary(t.name(), t.type(), rows, cols, data, TQ2_0.FORMAT) : peerOrder(t, rows, cols, data, TQ2_0.FORMAT);
            case I2_S -> I2sLutMatrix.fits(cols) ? I2sLutMatrix.repack(t.name(), rows, cols, data, threads, cache) : null;
            case F16 -> f16(t.name(), rows, cols, data);
            case BF16 -> Bf16VectorMatrix.fits(rows, cols, data) ? new Bf16VectorMatrix(t.name(), rows, cols, data) : null;
            case Q8_0 -> wholeBlocks(t, rows, cols) ? new Q8_0VectorMatrix(t.name(), rows, cols, data, codec(t, rows, cols)) : null;
            case Q4_0 -> wholeBlocks(t, rows, cols) ? new Q4_0VectorMatrix(t.name(), rows, cols, data, codec(t, rows, cols)) : null;
            case Q6_K -> wholeBlocks(t, rows, cols) ? new Q6_KVectorMatrix(t.name(), rows, cols, data, codec(t, rows, cols)) : null;
            case Q4_K -> wholeBlocks(t, rows, cols) ? new Q4_KVectorMatrix(t.name(), rows, cols, data, codec(t, rows, cols)) : null;
            default -> null;
        };
        if ((m instanceof LutMatrix || m instanceof Int8CopyMatrix) && t.data().isMapped()) {
            t.data().unload(); // the repacked copy replaces the file's pages
        }
        return Optional.ofNullable(m);
    }

    private WeightMatrix f16(String name, int rows, int cols, MemorySegment data) {
        long n = (long) rows * cols;
        // a pass over the whole matrix (0.66 GB for a 2B model's head): kept in the layout cache's index when there is one
        boolean finite = LayoutCache.fact(cache, "all finite " + name, data.byteSize(),
                () -> F16VectorMatrix.allFinite(data, n) ? 1 : 0) != 0;
        F16VectorMatrix m = new F16VectorMatrix(name, rows, cols, data, finite);
        return int8F16 && Int8CopyMatrix.fits(m) ? Int8CopyMatrix.copy(m) : m;
    }

    /**
     * Whether a block-quantized tensor has rows of whole blocks and all its bytes: the in-place kernels read with the
     * bounds checks possibly off ({@code VECTOR_ACCESS_OOB_CHECK=0}), so anything else is left to the codec fallback,
     * whose own checks name the problem.
     */
    private static boolean wholeBlocks(GgufTensor t, int rows, int cols) {
        GgmlType type = t.type();
        return cols % type.blockSize() == 0 && t.data().byteSize() >= (long) rows * (cols / type.blockSize()) * type.blockBytes();
    }

    /** The matrix that served the type before (dequantized rows in float32): other orders and embedding rows go there. */
    private static WeightMatrix codec(GgufTensor t, int rows, int cols) {
        return CodecKernels.INSTANCE.bind(t, rows, cols).orElseThrow();
    }

    /** Without layouts: llama.cpp's order over the file's bytes, its integer sums vectorized ({@link TernaryBlockVectorMatrix}). */
    private static WeightMatrix peerOrder(GgufTensor t, int rows, int cols, MemorySegment data, TernaryBlockFormat format) {
        return cols % TernaryBlockFormat.BLOCK_SIZE == 0 ? new TernaryBlockVectorMatrix(t.name(), t.type(), rows, cols, data, format) : null;
    }

    private WeightMatrix ternary(String name, GgmlType type, int rows, int cols, MemorySegment data, TernaryBlockFormat format) {
        return cols % TernaryBlockFormat.BLOCK_SIZE == 0 ? TernaryLutMatrix.repack(name, type, rows, cols, data, format, threads, cache) : null;
    }
}
