package io.bitnet4j.format;

import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * bitnet.cpp's I2_S (ggml type 36 in Microsoft's llama.cpp fork), in the x86 layout that its converter
 * writes: 2 bits per weight and one float32 scale for the whole tensor. (Its ARM builds quantize into runs of 64
 * instead: {@link I2sArm}.)
 *
 * <h2>Layout of a tensor of n weights (n a multiple of 128)</h2>
 * <pre>
 *   bytes 0 .. n/4−1         the codes, 32 bytes per run of 128 weights
 *   bytes n/4 .. n/4+3       the scale, float32 little-endian
 *   bytes n/4+4 .. n/4+31    padding (ggml sizes the tensor n/4 + 32 for alignment)
 * </pre>
 * <b>Codes.</b> Each weight is the code {@code t + 1}: 0 → −1, 1 → 0, 2 → +1. Code 3 is never written; we reject
 * it on reading (bitnet.cpp's dequantizer maps it to 0, but its matmul kernels would read it as +2, so a
 * tensor holding it is corrupt either way).
 *
 * <p><b>Packing.</b> The weights are flattened row-major and cut into runs of 128, which may straddle rows. Run
 * {@code r} fills bytes {@code 32r .. 32r+31}; byte {@code 32r + g} holds, from the high bits down, the codes of
 * elements {@code 128r + g} (bits 7–6), {@code 128r + 32 + g} (bits 5–4), {@code 128r + 64 + g} (bits 3–2) and
 * {@code 128r + 96 + g} (bits 1–0). Note the order is the reverse of {@link TQ2_0}, which starts at the low bits.
 * bitnet.cpp's kernels walk a row in whole runs, so although the format allows any n divisible by 128, a
 * matrix it can multiply needs rows of a multiple of 128 (see {@link I2sMatmul}).
 *
 * <p><b>Padding.</b> bitnet.cpp's quantizer leaves the 28 padding bytes unwritten, and files from its
 * {@code llama-quantize} carry leftover buffer bytes there. We write zeros and never read them.
 *
 * <h2>From float</h2>
 * {@link #quantize} is bitnet.cpp's {@code quantize_i2_s}, which does <em>not</em> ternarize: it stores
 * {@code max|w|} as the scale and codes each weight by its sign alone, with {@code |w| < 1e-6} (compared in
 * double) as 0. It is exact only for input that is already {@code {−s, 0, s}}. The official flow therefore
 * ternarizes first with the converter's {@code weight_quant}, reproduced by {@link #weightQuant}.
 */
public final class I2_S {
    /** ggml type id in bitnet.cpp's fork. */
    public static final int GGML_TYPE = 36;
    /** Weights per packed run (bitnet.cpp's {@code QK_I2_S} on x86). */
    public static final int BLOCK_SIZE = 128;
    /** Bytes per packed run. */
    public static final int BLOCK_BYTES = 32;
    /** Bytes after the codes: the float32 scale and 28 bytes of padding. */
    public static final int TAIL_BYTES = 32;
    /** Magnitudes below this (compared in double) are coded 0 by {@link #quantize}. */
    public static final double ZERO_THRESHOLD = 1e-6;

    private I2_S() {}

    /** Bytes of codes for {@code n} weights ({@code n / 4}); also the offset of the scale. */
    public static int dataBytes(int n) {
        return FormatChecks.blockCount("I2_S", n, BLOCK_SIZE) * BLOCK_BYTES;
    }

    /** The whole tensor size, as ggml counts it: {@code n / 4 + 32}. */
    public static int packedBytes(int n) {
        return FormatChecks.byteCount("I2_S", n, (long) dataBytes(n) + TAIL_BYTES);
    }

    /** bitnet.cpp's {@code quantize_i2_s}: scale = max|w|, codes sign(w) with |w| &lt; 1e-6 as 0 (class comment). */
    public static byte[] quantize(float[] w) {
        dataBytes(w.length);
        Checks.requireFinite(w, "I2_S input");
        float max = 0f;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        return pack(signTrits(w), max);
    }

    /**
     * The codes {@link #quantize} gives each weight: its sign, or 0 when {@code |w| < 1e-6} (compared in double).
     * Exposed so that a tensor too large for one array can be quantized in pieces, its scale (max|w|) found first.
     */
    public static byte[] signTrits(float[] w) {
        byte[] trits = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            trits[i] = Math.abs((double) w[i]) < ZERO_THRESHOLD ? 0 : (byte) (w[i] > 0 ? 1 : -1);
        }
        return trits;
    }

    /**
     * The BitNet converter's {@code weight_quant} in float32, as the fixture generator runs it: {@code m = mean|w|}
     * (a float32 sum in numpy's pairwise order, divided by n), {@code inv = 1 / max(m, 1e-5)},
     * {@code t = clamp(rint(w · inv), −1, 1)} with ties to even, and the result {@code t / inv}: values in
     * {@code {−1/inv, ±0, 1/inv}} (a negative weight rounding to 0 gives −0.0). The upstream converter sums
     * in torch's order, which can move {@code inv} by an ulp.
     */
    public static float[] weightQuant(float[] w) {
        Checks.requireNonEmpty(w, "weight");
        Checks.requireFinite(w, "weight");
        float[] abs = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            abs[i] = Math.abs(w[i]);
        }
        float mean = (float) ((double) PairwiseSum.float32(abs) / w.length); // one rounding, as a float32 division
        float inv = 1f / Math.max(mean, 1e-5f);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            float t = Math.max(-1f, Math.min(1f, (float) Math.rint(w[i] * inv)));
            out[i] = t / inv;
        }
        return out;
    }

    /** Packs trits (a multiple of 128) with one finite scale; the padding is zero. */
    public static byte[] pack(byte[] trits, float scale) {
        int n = trits.length;
        int dataBytes = dataBytes(n);
        FormatChecks.requireTrits("I2_S", trits);
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("I2_S: scale is " + scale + "; must be finite");
        }
        byte[] out = new byte[packedBytes(n)];
        for (int i = 0; i < n; i++) {
            out[byteOf(i)] |= (byte) ((trits[i] + 1) << shiftOf(i));
        }
        LittleEndian.putFloat(out, dataBytes, scale);
        return out;
    }

    /** The {@code n} trits of a tensor ({@code data} is exactly {@link #packedBytes}({@code n}) long). */
    public static byte[] unpackTrits(byte[] data, int n) {
        requireData(data, n);
        byte[] trits = new byte[n];
        MemorySegment segment = MemorySegment.ofArray(data);
        for (int run = 0; run < n / BLOCK_SIZE; run++) {
            unpackRunCodes(segment, run, trits, run * BLOCK_SIZE);
        }
        for (int i = 0; i < n; i++) {
            trits[i] -= 1;
        }
        return trits;
    }

    /**
     * Unpacks run {@code run} (elements {@code 128·run .. 128·run+127}) of the codes in {@code data} (for
     * instance a memory-mapped GGUF tensor, never copied) into {@code codes[to..to+127]} as the codes
     * themselves, {@code t + 1} ∈ {0, 1, 2}: bitnet.cpp's kernels multiply the codes and correct afterwards
     * (see {@link I2sMatmul}). Throws on code 3 or a run outside {@code data}.
     */
    public static void unpackRunCodes(MemorySegment data, long run, byte[] codes, int to) {
        long at = run * BLOCK_BYTES;
        if (run < 0 || at + BLOCK_BYTES > data.byteSize()) {
            throw new IllegalArgumentException("I2_S run " + run + " is not inside the " + data.byteSize() + " bytes given");
        }
        // eight bytes at a time: each holds one code of each quarter of the run, so a shift and a mask per quarter put
        // eight codes in place at once; one test per read finds any field whose two bits are both set (code 3)
        for (int g = 0; g < BLOCK_BYTES; g += Long.BYTES) {
            long x = data.get(TwoBitCodes.LONG, at + g);
            if (TwoBitCodes.holdsCodeThree(x)) {
                throw codeThree(data, run, g);
            }
            for (int k = 0; k < 4; k++) {
                TwoBitCodes.putField(codes, to + k * BLOCK_BYTES + g, x, 6 - 2 * k);
            }
        }
    }

    /** The error for the first code 3 among bytes {@code g .. g+7} of run {@code run}, in element order per byte. */
    private static IllegalArgumentException codeThree(MemorySegment data, long run, int g) {
        long at = run * BLOCK_BYTES;
        for (int i = g; i < g + Long.BYTES; i++) {
            int b = data.get(ValueLayout.JAVA_BYTE, at + i);
            for (int k = 0; k < 4; k++) {
                if ((b >>> (6 - 2 * k) & 3) == 3) {
                    long element = run * BLOCK_SIZE + k * BLOCK_BYTES + i;
                    return new IllegalArgumentException("I2_S byte " + (at + i) + " holds code 3 for element " + element
                            + "; only 0, 1, 2 encode trits");
                }
            }
        }
        throw new IllegalStateException("no code 3 in bytes " + g + ".." + (g + 7) + " of I2_S run " + run);
    }

    /** The tensor's scale; throws if it is not finite. */
    public static float scale(byte[] data, int n) {
        requireData(data, n);
        float s = LittleEndian.getFloat(data, dataBytes(n));
        if (!Float.isFinite(s)) {
            throw new IllegalArgumentException("I2_S scale at byte " + dataBytes(n) + " is " + s + "; must be finite");
        }
        return s;
    }

    /** {@code trit · scale} per element in float32, as bitnet.cpp's dequantizer (zeros come out as +0 for a positive scale). */
    public static float[] dequantize(byte[] data, int n) {
        float s = scale(data, n);
        byte[] trits = unpackTrits(data, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = trits[i] * s;
        }
        return out;
    }

    /** The tensor as trits with one {@link Granularity.PerTensor} scale. */
    public static TernaryWeight toTernaryWeight(byte[] data, Shape shape) {
        return TernaryWeight.of(shape, Granularity.perTensor(), unpackTrits(data, shape.size()),
                new float[] {scale(data, shape.size())});
    }

    /** Writes {@code w} exactly; throws if its elements do not all share one scale or n is not a multiple of 128. */
    public static byte[] fromTernaryWeight(TernaryWeight w) {
        dataBytes(w.shape().size());
        float[] scale = FormatChecks.regroupScales("I2_S", w, Granularity.perTensor());
        return pack(w.trits(), scale[0]);
    }

    private static void requireData(byte[] data, int n) {
        FormatChecks.requireBytes("I2_S", data, packedBytes(n), n);
    }

    private static int byteOf(int i) {
        return (i / BLOCK_SIZE) * BLOCK_BYTES + i % BLOCK_BYTES;
    }

    private static int shiftOf(int i) {
        return 6 - 2 * ((i % BLOCK_SIZE) / BLOCK_BYTES);
    }
}
