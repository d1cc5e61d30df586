package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.format.TQ1_0;
import io.bitnet4j.format.TQ2_0;
import io.bitnet4j.format.TernaryBlockFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TernaryBlockMatrix} with each block's work vectorized: the products that must follow llama.cpp's order
 * (the exact numerics of {@code perplexity} and {@code logits}) on TQ1_0 and TQ2_0. The integer lane sums are the
 * same integers and each lane's fma is the same fma, so every product is the scalar kernel's float to the bit.
 *
 * <p>Lane {@code k} of a block is the sum over its elements {@code e} with {@code (e mod 32) / 4 = k}. The products
 * of each 32-value run are accumulated position by position in 16-bit lanes, {@link VectorWidth#SHORTS} positions
 * at a time (all 32 at 512 bits, half of them at 256); then each four neighbouring positions are summed inside the
 * vector (pairs as the two halves of 32-bit lanes, then pairs of pairs as the halves of 64-bit lanes), which leaves
 * the block's lanes in order; less their sums of 32 values, they go into the token's float lanes with one vector fma.
 * (Codes of at most 2 times values of at most 128, over 8 runs: 2048 per position, within 16 bits.)
 */
final class TernaryBlockVectorMatrix extends TernaryBlockMatrix {
    private static final VectorSpecies<Byte> BYTES = VectorWidth.HALF_BYTES;
    private static final VectorSpecies<Short> SHORTS = VectorWidth.SHORTS;
    /** One lane per block lane of the positions a step covers: 8 at 512 bits, 4 at 256. */
    private static final VectorShape HALF_SHAPE = VectorShape.forBitSize(VectorWidth.BITS / 2);
    private static final VectorSpecies<Integer> LANE_INTS = IntVector.SPECIES_PREFERRED.withShape(HALF_SHAPE);
    private static final VectorSpecies<Float> LANE_FLOATS = FloatVector.SPECIES_PREFERRED.withShape(HALF_SHAPE);
    private static final int STEP = SHORTS.length(); // positions per step: 32 at 512 bits, 16 at 256
    private static final int RUN = 32;
    /** Half of a TQ2_0 block's codes: 32 bytes, each holding the codes of 4 elements 32 apart (128 elements). */
    private static final VectorSpecies<Byte> RUN_BYTES = ByteVector.SPECIES_256;
    /** A 2-bit field's low bit in each of a byte's four fields: code 3 sets it in {@code b & (b >>> 1)}. */
    private static final byte LOW_BITS = 0x55;

    TernaryBlockVectorMatrix(String name, GgmlType type, int rows, int cols, MemorySegment data, TernaryBlockFormat format) {
        super(name, type, rows, cols, data, format);
    }

    /**
     * Products of at least {@link TernaryPairTiles#MIN_TOKENS} tokens go through {@link TernaryPairTiles}, whole tiles
     * of rows at a time; the rows left over, fewer tokens, and TQ2_0 blocks it turns down (a code 3, a bad scale), row
     * by row.
     */
    @Override
    public void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        int tiles = (rowTo - rowFrom) / TernaryPairTiles.ROWS;
        if ((format instanceof TQ2_0 || format instanceof TQ1_0) && in.rows() >= TernaryPairTiles.MIN_TOKENS && tiles > 0) {
            checkShapes(in, rowFrom, rowTo, out, outOffset);
            if (TernaryPairTiles.multiply(this, in, rowFrom, tiles, out, outOffset, scratch.pairTiles())) {
                rowFrom += tiles * TernaryPairTiles.ROWS;
            }
        }
        super.multiplyRows(in, as, sum, rowFrom, rowTo, out, outOffset, scratch);
    }

    /**
     * The codes straight from the file's bytes: for TQ2_0 half a block per load (a shift and a mask per 32 codes),
     * which in a one-token product is as much work as the product itself; for TQ1_0 its 32- and 16-byte runs of
     * base-3 bytes ({@link #base3Digits}), the 4 bytes of four digits by the scalar decoder's arithmetic. A block with
     * a code 3 (TQ2_0) or a scale that is not finite, or not inside the tensor, goes to the scalar decoder, which
     * throws its own message.
     */
    @Override
    float decodeForProducts(long block, byte[] codes, int to) {
        int bytes = format.blockBytes();
        long at = block * bytes;
        if (block < 0 || at + bytes > data.byteSize()) {
            return super.decodeForProducts(block, codes, to);
        }
        if (format instanceof TQ1_0) {
            decodeTq1(at, codes, to); // apart: this method stays small enough for the JIT to inline
        } else if (format instanceof TQ2_0) {
            for (int half = 0; half < BLOCK / (4 * RUN); half++) {
                ByteVector b = ByteVector.fromMemorySegment(RUN_BYTES, data, at + half * RUN, ByteOrder.LITTLE_ENDIAN);
                if (b.and(b.lanewise(VectorOperators.LSHR, 1)).and(LOW_BITS).compare(VectorOperators.NE, 0).anyTrue()) {
                    return super.decodeForProducts(block, codes, to);
                }
                for (int k = 0; k < 4; k++) { // field k of byte m: element 128·half + 32·k + m
                    b.lanewise(VectorOperators.LSHR, 2 * k).and((byte) 3).intoArray(codes, to + half * 4 * RUN + k * RUN);
                }
            }
        } else {
            return super.decodeForProducts(block, codes, to);
        }
        float d = Float.float16ToFloat(format.scaleBits(data, block));
        return Float.isFinite(d) ? d : super.decodeForProducts(block, codes, to);
    }

    /** The codes of the TQ1_0 block at byte {@code at} (inside the tensor), for {@link #decodeForProducts}. */
    private void decodeTq1(long at, byte[] codes, int to) {
        // TQ1_0's layout (see TQ1_0): byte m of the first run holds elements m + 32k, byte m of the second
        // 160 + m + 16k, byte j of the last 240 + j + 4k, digit k most significant first
        base3Digits(at, RUN, codes, to);
        base3Digits(at + RUN, RUN / 2, codes, to + 160);
        for (int j = 0; j < 4; j++) {
            int b = data.get(ValueLayout.JAVA_BYTE, at + RUN + RUN / 2 + j) & 0xFF;
            for (int k = 0; k < 4; k++) {
                codes[to + 240 + j + 4 * k] = (byte) TQ1_0.digit(b, k);
            }
        }
    }

    /**
     * Digits {@code k < 5} of the {@code bytes} base-3 bytes at {@code at}, byte m's into {@code codes[to + m +
     * k·bytes]}: the scalar {@code ((b·3^k mod 256)·3) >> 8}, in 16-bit lanes, {@link #STEP} bytes at a time (the
     * last step masked). The species are this class's constants, never parameters: the JIT turns Vector API calls
     * into instructions only where it knows the species, and a variant taking them as arguments ran its Java
     * fallback in some runs (a 128-token chunk of perplexity 15-18 s instead of 9).
     */
    private void base3Digits(long at, int bytes, byte[] codes, int to) {
        for (int m = 0; m < bytes; m += STEP) {
            VectorMask<Byte> in = BYTES.indexInRange(m, bytes);
            ShortVector b = ((ShortVector) ByteVector.fromMemorySegment(BYTES, data, at + m, ByteOrder.LITTLE_ENDIAN, in)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).and((short) 0xFF);
            for (int k = 0, pow3 = 1; k < 5; k++, pow3 *= 3) {
                ((ByteVector) b.mul((short) pow3).and((short) 0xFF).mul((short) 3).lanewise(VectorOperators.LSHR, 8)
                        .convertShape(VectorOperators.S2B, BYTES, 0)).intoArray(codes, to + m + k * bytes, in);
            }
        }
    }

    @Override
    void accumulateBlock(byte[] codes, int w, byte[] q, int x, int[] sums32, float scale, float[] lanes, KernelScratch scratch) {
        FloatVector s = FloatVector.broadcast(LANE_FLOATS, scale);
        for (int from = 0; from < RUN; from += STEP) { // positions from .. from + STEP of every run: lanes from / 4 ..
            ShortVector acc = ShortVector.zero(SHORTS);
            for (int run = 0; run < BLOCK; run += RUN) {
                ShortVector c = (ShortVector) ByteVector.fromArray(BYTES, codes, w + run + from).convertShape(VectorOperators.B2S, SHORTS, 0);
                ShortVector v = (ShortVector) ByteVector.fromArray(BYTES, q, x + run + from).convertShape(VectorOperators.B2S, SHORTS, 0);
                acc = acc.lanewise(VectorOperators.ADD, c.mul(v));
            }
            // sums of neighbouring positions, sign-extended out of the halves of wider lanes (little-endian lanes)
            IntVector pairs = acc.reinterpretAsInts();
            IntVector sum2 = pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(pairs.lanewise(VectorOperators.ASHR, 16));
            LongVector quads = sum2.reinterpretAsLongs();
            LongVector sum4 = quads.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32)
                    .add(quads.lanewise(VectorOperators.ASHR, 32));
            // long → int → float: AVX2 has no long → float conversion; the values are small, so both are exact
            int k = from / 4;
            IntVector lane = ((IntVector) sum4.convertShape(VectorOperators.L2I, LANE_INTS, 0))
                    .sub(IntVector.fromArray(LANE_INTS, sums32, x / RUN + k));
            FloatVector f = (FloatVector) lane.convertShape(VectorOperators.I2F, LANE_FLOATS, 0);
            f.fma(s, FloatVector.fromArray(LANE_FLOATS, lanes, k)).intoArray(lanes, k);
        }
    }
}
