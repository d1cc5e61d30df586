package io.bitnet4j.format;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * What llama.cpp's two ternary block types, {@link TQ1_0} and {@link TQ2_0}, have in common. A tensor is
 * cut, in flat row-major order, into blocks of {@value #BLOCK_SIZE} weights; each block stores its 256
 * trits (the subclasses differ only in how) followed by one scale {@code d} as a little-endian IEEE
 * half-precision float in the block's last two bytes. Element {@code j} of a block means {@code trit·d}.
 * llama.cpp needs every row to be whole blocks, so row lengths are multiples of 256.
 *
 * <h2>Quantizing from float (llama.cpp's reference quantizer, bit for bit)</h2>
 * <ol>
 *   <li>{@code d = max|x|} over the block, in float32.</li>
 *   <li>The stored scale is {@code d} rounded to fp16, to nearest with ties to even. A tiny {@code d} becomes
 *       an fp16 subnormal or 0. A block whose {@code d} would round to an fp16 infinity (65520 and up) is
 *       rejected; llama.cpp would store the infinity.</li>
 *   <li>The trits use the float32 {@code d}, not the rounded one: {@code t = lround(x · (1/d))} with
 *       {@code 1/d} computed in float32 and halves rounded away from zero (C's {@code lroundf}: 0.5 → 1,
 *       −0.5 → −1). So a block whose {@code d} underflows fp16 still gets nonzero trits, and dequantizes to 0.</li>
 *   <li>An all-zero block (±0 alike) has {@code d = 0} and trits 0. If {@code 1/d} overflows float32
 *       ({@code d} below about 2.9e−39), C's {@code lroundf} of an infinity is undefined; on x86 it yields a
 *       value that ends up as trit 0, so we write trit 0 for the whole block. Its fp16 scale is 0 anyway.</li>
 * </ol>
 *
 * <h2>Dot product with {@link Q8_K} activations</h2>
 * {@link #blockDot} is the exact integer sum {@code Σ t·q} over one block; {@link #dot} combines blocks in
 * llama.cpp's generic scalar order, {@code acc += (float) sum_b · (d8_b · d_b)} in float32 from block 0 up.
 * SIMD kernels sum in other orders and may differ in the last bits.
 */
public abstract sealed class TernaryBlockFormat permits TQ1_0, TQ2_0 {
    /** Weights per block (ggml's {@code QK_K}). */
    public static final int BLOCK_SIZE = 256;

    private final String name;
    private final int ggmlType;
    private final int blockBytes;

    TernaryBlockFormat(String name, int ggmlType, int blockBytes) {
        this.name = name;
        this.ggmlType = ggmlType;
        this.blockBytes = blockBytes;
    }

    /** The format for a ggml type id (34 = TQ1_0, 35 = TQ2_0), or empty for any other id. */
    public static Optional<TernaryBlockFormat> forGgmlType(int type) {
        if (type == TQ1_0.FORMAT.ggmlType()) {
            return Optional.of(TQ1_0.FORMAT);
        }
        if (type == TQ2_0.FORMAT.ggmlType()) {
            return Optional.of(TQ2_0.FORMAT);
        }
        return Optional.empty();
    }

    /** Writes the 256 trits {@code trits[from..from+255]} into the block at {@code out[at..]}, scale excluded. */
    abstract void encodeBlock(byte[] trits, int from, byte[] out, int at);

    /**
     * Reads the block at byte {@code at} of {@code data} into {@code codes[to..to+255]} as codes {@code t + 1}
     * ∈ {0, 1, 2}, scale excluded, throwing on a field that is not a code; {@code block} is for error messages.
     * One decoder serves byte arrays (wrapped) and memory-mapped tensors. Codes rather than trits because both
     * formats store them, and so does the kernels' runtime layout: the load-time repack needs no conversion.
     */
    abstract void decodeCodes(MemorySegment data, long at, byte[] codes, int to, long block);

    /** {@link #decodeCodes}, then each code minus 1: the block's trits. */
    private void decodeTrits(MemorySegment data, long at, byte[] trits, int to, long block) {
        decodeCodes(data, at, trits, to, block);
        codesToTrits(trits, to);
    }

    private static void codesToTrits(byte[] codes, int from) {
        for (int j = from; j < from + BLOCK_SIZE; j++) {
            codes[j]--;
        }
    }

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The type name as llama.cpp spells it, e.g. {@code "TQ2_0"}. */
    public final String name() {
        return name;
    }

    /** ggml's numeric type id (the value in a GGUF tensor header). */
    public final int ggmlType() {
        return ggmlType;
    }

    /** Bytes per block of 256 weights, scale included. */
    public final int blockBytes() {
        return blockBytes;
    }

    /** Offset of the fp16 scale inside a block. */
    public final int scaleOffset() {
        return blockBytes - 2;
    }

    /** The raw fp16 bits of block {@code block}'s scale in {@code data} (a tensor in this format). */
    public final short scaleBits(MemorySegment data, long block) {
        return data.get(HALF, block * blockBytes + scaleOffset());
    }

    /** Blocks in {@code n} weights; throws unless {@code n} is a positive multiple of 256. */
    public final int blockCount(int n) {
        return FormatChecks.blockCount(name, n, BLOCK_SIZE);
    }

    /** Bytes that {@code n} weights take. */
    public final int packedBytes(int n) {
        return FormatChecks.byteCount(name, n, (long) blockCount(n) * blockBytes);
    }

    /** Quantizes floats (a multiple of 256, all finite) with llama.cpp's reference rule; see the class comment. */
    public final byte[] quantize(float[] x) {
        int blocks = blockCount(x.length);
        Checks.requireFinite(x, name + " input");
        byte[] out = new byte[packedBytes(x.length)];
        byte[] trits = new byte[BLOCK_SIZE];
        for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK_SIZE;
            float amax = 0f;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                amax = Math.max(amax, Math.abs(x[from + j]));
            }
            float id = amax != 0f ? 1f / amax : 0f;
            boolean overflow = Float.isInfinite(id);
            for (int j = 0; j < BLOCK_SIZE; j++) {
                trits[j] = overflow ? 0 : (byte) Rounding.HALF_AWAY_FROM_ZERO.roundClamp(x[from + j] * id, -1, 1);
            }
            short d = Float.floatToFloat16(amax);
            if (Float.isInfinite(Float.float16ToFloat(d))) {
                throw new IllegalArgumentException(name + ": block " + b + " has max|x| = " + amax
                        + ", beyond the fp16 range of its scale (65504)");
            }
            int at = b * blockBytes;
            encodeBlock(trits, 0, out, at);
            LittleEndian.putShort(out, at + scaleOffset(), d);
        }
        return out;
    }

    /** Packs trits (a multiple of 256) with one fp16 scale per block, given as raw half-precision bits. */
    public final byte[] pack(byte[] trits, short[] scaleBits) {
        int blocks = blockCount(trits.length);
        FormatChecks.requireTrits(name, trits);
        if (scaleBits.length != blocks) {
            throw new IllegalArgumentException(
                    name + ": " + trits.length + " trits form " + blocks + " blocks but " + scaleBits.length + " scales were given");
        }
        byte[] out = new byte[packedBytes(trits.length)];
        for (int b = 0; b < blocks; b++) {
            requireFiniteHalf(scaleBits[b], b);
            int at = b * blockBytes;
            encodeBlock(trits, b * BLOCK_SIZE, out, at);
            LittleEndian.putShort(out, at + scaleOffset(), scaleBits[b]);
        }
        return out;
    }

    /**
     * Packs trits with float scales, each rounded to the nearest fp16 (ties to even): as exactly as the format
     * allows. Throws if a scale is not finite or exceeds the fp16 range.
     */
    public final byte[] pack(byte[] trits, float[] scales) {
        short[] bits = new short[scales.length];
        for (int b = 0; b < scales.length; b++) {
            float s = scales[b];
            bits[b] = Float.floatToFloat16(s);
            if (!Float.isFinite(Float.float16ToFloat(bits[b]))) {
                throw new IllegalArgumentException(name + ": scale " + s + " of block " + b + " is not a finite fp16 value (|s| ≤ 65504)");
            }
        }
        return pack(trits, bits);
    }

    /** The {@code n} trits stored in {@code data} (exactly {@link #packedBytes}({@code n}) long). */
    public final byte[] unpackTrits(byte[] data, int n) {
        int blocks = requireData(data, n);
        byte[] trits = new byte[n];
        for (int b = 0; b < blocks; b++) {
            decodeTrits(MemorySegment.ofArray(data), (long) b * blockBytes, trits, b * BLOCK_SIZE, b);
        }
        return trits;
    }

    /** The raw fp16 scale bits, one per block. */
    public final short[] unpackScaleBits(byte[] data, int n) {
        int blocks = requireData(data, n);
        short[] bits = new short[blocks];
        for (int b = 0; b < blocks; b++) {
            bits[b] = scaleBitsOf(data, b);
        }
        return bits;
    }

    /** The scales as floats (exact: every fp16 value is a float); throws on an infinite or NaN scale. */
    public final float[] unpackScales(byte[] data, int n) {
        short[] bits = unpackScaleBits(data, n);
        float[] scales = new float[bits.length];
        for (int b = 0; b < bits.length; b++) {
            scales[b] = requireFiniteHalf(bits[b], b);
        }
        return scales;
    }

    /** {@code trit · d} per element in float32, as llama.cpp's dequantizer. */
    public final float[] dequantize(byte[] data, int n) {
        byte[] trits = unpackTrits(data, n);
        float[] scales = unpackScales(data, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = trits[i] * scales[i / BLOCK_SIZE];
        }
        return out;
    }

    /** The exact integer {@code Σ t·q} of weight block {@code weightBlock} with {@link Q8_K} block {@code activationBlock}. */
    public final int blockDot(byte[] weights, int weightBlock, byte[] activations, int activationBlock) {
        requireBlocks("weight", weights, blockBytes, weightBlock, 1);
        requireBlocks("Q8_K activation", activations, Q8_K.BLOCK_BYTES, activationBlock, 1);
        byte[] trits = new byte[BLOCK_SIZE];
        decodeTrits(MemorySegment.ofArray(weights), (long) weightBlock * blockBytes, trits, 0, weightBlock);
        int sum = 0;
        for (int j = 0; j < BLOCK_SIZE; j++) {
            sum += trits[j] * Q8_K.value(activations, activationBlock, j);
        }
        return sum;
    }

    /**
     * The dot product of {@code blocks} consecutive weight blocks starting at {@code weightBlock} with as many
     * {@link Q8_K} blocks starting at {@code activationBlock}, in llama.cpp's generic order (class comment).
     */
    public final float dot(byte[] weights, int weightBlock, byte[] activations, int activationBlock, int blocks) {
        requireBlocks("weight", weights, blockBytes, weightBlock, blocks);
        requireBlocks("Q8_K activation", activations, Q8_K.BLOCK_BYTES, activationBlock, blocks);
        float acc = 0f;
        for (int b = 0; b < blocks; b++) {
            int sum = blockDot(weights, weightBlock + b, activations, activationBlock + b);
            float d = requireFiniteHalf(scaleBitsOf(weights, weightBlock + b), weightBlock + b);
            acc += blockTerm(sum, Q8_K.scale(activations, activationBlock + b), d);
        }
        return acc;
    }

    /**
     * One block's term of a dot product in llama.cpp's generic order: {@code (float) sum · (d8 · d)}, the
     * exact integer sum scaled by the activation and weight scales, in float32. Kernels add these terms up.
     */
    public static float blockTerm(int sum, float activationScale, float weightScale) {
        return (float) sum * (activationScale * weightScale);
    }

    /**
     * Decodes block {@code block} of a tensor in this format held in {@code data} (for instance a
     * memory-mapped GGUF tensor, never copied) into {@code trits[to..to+255]} and returns its scale {@code d}.
     * Throws if the block is outside {@code data}, holds an invalid code, or its scale is not finite.
     */
    public final float decodeBlock(MemorySegment data, long block, byte[] trits, int to) {
        float d = decodeCodes(data, block, trits, to);
        codesToTrits(trits, to);
        return d;
    }

    /**
     * {@link #decodeBlock}, but into codes {@code t + 1} ∈ {0, 1, 2} (the form both formats store): what a
     * repack into another layout of codes reads without converting twice.
     */
    public final float decodeCodes(MemorySegment data, long block, byte[] codes, int to) {
        long at = block * blockBytes;
        if (block < 0 || at + blockBytes > data.byteSize()) {
            throw new IllegalArgumentException(name + ": block " + block + " is not inside the " + data.byteSize() + " bytes given");
        }
        decodeCodes(data, at, codes, to, block);
        return requireFiniteHalf(scaleBits(data, block), block);
    }

    /** The weight in {@code data} as trits with {@link Granularity.PerBlock}(256) fp16-exact scales. */
    public final TernaryWeight toTernaryWeight(byte[] data, Shape shape) {
        requireWholeBlockRows(shape);
        return TernaryWeight.of(shape, Granularity.perBlock(BLOCK_SIZE), unpackTrits(data, shape.size()),
                unpackScales(data, shape.size()));
    }

    /**
     * Writes {@code w} in this format. Trits are exact; each block takes the scale its elements share in
     * {@code w}, rounded to fp16 (ties to even). Throws if rows are not whole blocks, if one block would
     * need two different scales, or if a scale exceeds the fp16 range.
     */
    public final byte[] fromTernaryWeight(TernaryWeight w) {
        requireWholeBlockRows(w.shape());
        float[] scales = FormatChecks.regroupScales(name, w, Granularity.perBlock(BLOCK_SIZE));
        return pack(w.trits(), scales);
    }

    @Override
    public final String toString() {
        return name;
    }

    private short scaleBitsOf(byte[] data, int block) {
        return LittleEndian.getShort(data, block * blockBytes + scaleOffset());
    }

    private int requireData(byte[] data, int n) {
        int blocks = blockCount(n);
        FormatChecks.requireBytes(name, data, blocks * blockBytes, n);
        return blocks;
    }

    private float requireFiniteHalf(short bits, long block) {
        float d = Float.float16ToFloat(bits);
        if (!Float.isFinite(d)) {
            throw new IllegalArgumentException(String.format("%s: block %d has scale bits 0x%04x, which is %s, not a finite fp16 value",
                    name, block, bits & 0xFFFF, d));
        }
        return d;
    }

    private void requireBlocks(String what, byte[] data, int size, int first, int count) {
        if (count <= 0 || first < 0 || ((long) first + count) * size > data.length) {
            throw new IllegalArgumentException(name + ": " + what + " blocks " + first + ".." + ((long) first + count - 1)
                    + " (of " + size + " bytes each) are not all inside the " + data.length + " bytes given");
        }
    }

    private void requireWholeBlockRows(Shape shape) {
        if (shape.lastDim() % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException(name + " needs rows of whole " + BLOCK_SIZE + "-weight blocks; row length "
                    + shape.lastDim() + " of shape " + shape + " is not a multiple of " + BLOCK_SIZE);
        }
    }
}
