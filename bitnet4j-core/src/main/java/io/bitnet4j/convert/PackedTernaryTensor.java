package io.bitnet4j.convert;

import io.bitnet4j.format.HfPackedTernary;
import io.bitnet4j.quant.TernaryWeight;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A Hugging Face BitNet linear weight stored packed ({@link HfPackedTernary}: uint8 {@code [out/4, in]}) with its
 * {@code weight_scale}, unpacked when first read.
 */
final class PackedTernaryTensor extends LazyTernaryTensor {
    private final MemorySegment packed;
    private final float weightScale;
    private final HfPackedTernary.ScaleConvention convention;

    /**
     * @param dims        ggml dims {@code {in, out}} of the unpacked weight
     * @param packed      the {@code [ceil(out/4), in]} bytes
     * @param weightScale the stored {@code weight_scale}
     */
    PackedTernaryTensor(String name, long[] dims, MemorySegment packed, float weightScale, HfPackedTernary.ScaleConvention convention) {
        super(name, dims);
        this.packed = packed;
        this.weightScale = weightScale;
        this.convention = convention;
    }

    @Override
    TernaryWeight compute() {
        try {
            return HfPackedTernary.toTernaryWeight(packed.toArray(ValueLayout.JAVA_BYTE), shape(name(), dims()), weightScale, convention);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name() + "': " + e.getMessage(), e);
        }
    }
}
