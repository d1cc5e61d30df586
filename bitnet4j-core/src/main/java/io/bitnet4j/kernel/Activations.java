package io.bitnet4j.kernel;

import io.bitnet4j.format.Q8_K;
import java.util.Objects;

/**
 * The activations of a batch of token rows, converted on demand to the {@link ActivationType} a weight
 * matrix expects. Buffers are allocated once for the largest batch, so converting allocates nothing.
 *
 * <p>Call {@link #set} with the float rows, then {@link #prepare} once per type before the kernels read
 * them; a conversion is kept until the next {@code set}, so the Q, K and V projections of one input
 * quantize it once. The float rows are referenced, not copied: do not change them between {@code set}
 * and the last multiplication.
 */
public final class Activations {
    /** Quantizes Q8_K blocks (vectorized where the kernels are). */
    private static final FloatRows FLOAT_ROWS = FloatRows.defaults();
    private final int capacity;
    private final float[] rounded;
    private final byte[] quants;
    private final float[] scales;
    private final int[] rowSums;
    private final int[] sums32;

    private float[] source;
    private int rows;
    private int cols;
    private ActivationType roundedAs;
    private ActivationType quantizedAs;
    /** Counts {@link #set} calls: what a kernel that keeps something derived from these activations checks. */
    private long generation;

    /** Buffers for up to {@code maxElements} values ({@code rows × cols}) per batch. */
    public Activations(int maxElements) {
        if (maxElements <= 0) {
            throw new IllegalArgumentException("activation buffers need a positive size, got " + maxElements);
        }
        this.capacity = maxElements;
        this.rounded = new float[maxElements];
        this.quants = new byte[maxElements];
        this.scales = new float[maxElements];
        this.rowSums = new int[maxElements];
        this.sums32 = new int[maxElements / 32 + 1];
    }

    /** Uses {@code x[0 .. rows·cols)} (row-major) as the activations; earlier conversions are dropped. */
    public void set(float[] x, int rows, int cols) {
        Objects.requireNonNull(x, "activations");
        long n = (long) rows * cols;
        if (rows <= 0 || cols <= 0 || n > capacity || n > x.length) {
            throw new IllegalArgumentException("activations of " + rows + " rows × " + cols + " columns do not fit "
                    + (n > x.length ? "the " + x.length + " values given" : "the buffers of " + capacity + " values"));
        }
        this.source = x;
        this.rows = rows;
        this.cols = cols;
        this.roundedAs = null;
        this.quantizedAs = null;
        this.generation++;
    }

    /** Changes with every {@link #set}: the same object and generation mean the same values. */
    long generation() {
        return generation;
    }

    /** Converts the rows to {@code type} unless that was done since the last {@link #set}. */
    public void prepare(ActivationType type) {
        if (source == null) {
            throw new IllegalStateException("no activations set");
        }
        switch (type) {
            case F32 -> { }
            case F16, BF16 -> {
                if (roundedAs != type) {
                    round(type);
                    roundedAs = type;
                }
            }
            case Q8_K, I8_PER_ROW -> {
                if (quantizedAs != type) {
                    quantize(type);
                    quantizedAs = type;
                }
            }
        }
    }

    private void round(ActivationType type) {
        int n = rows * cols;
        if (type == ActivationType.F16) {
            for (int i = 0; i < n; i++) {
                rounded[i] = Float.float16ToFloat(Float.floatToFloat16(source[i]));
            }
        } else {
            for (int i = 0; i < n; i++) {
                rounded[i] = Bfloat16.round(source[i]);
            }
        }
    }

    private void quantize(ActivationType type) {
        if (type == ActivationType.Q8_K) {
            if (cols % Q8_K.BLOCK_SIZE != 0) {
                throw new IllegalArgumentException("Q8_K activations need rows of whole " + Q8_K.BLOCK_SIZE
                        + "-value blocks; row length " + cols + " is not a multiple");
            }
            int n = rows * cols;
            for (int b = 0; b < n / Q8_K.BLOCK_SIZE; b++) {
                scales[b] = FLOAT_ROWS.quantizeQ8KBlock(source, b * Q8_K.BLOCK_SIZE, quants, b * Q8_K.BLOCK_SIZE, sums32,
                        b * Q8_K.BLOCK_SIZE / 32);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                scales[r] = FLOAT_ROWS.quantizeI8Row(source, r * cols, cols, quants, r * cols, rowSums, r);
            }
        }
    }

    /** Token rows of the current batch. */
    public int rows() {
        return rows;
    }

    /** Values per row. */
    public int cols() {
        return cols;
    }

    /** The float rows in form {@code type} (F32, F16 or BF16), row-major; prepared first. */
    public float[] values(ActivationType type) {
        return switch (type) {
            case F32 -> source;
            case F16, BF16 -> requireReady(roundedAs == type, type, rounded);
            default -> throw new IllegalArgumentException(type + " activations are integers, not float values");
        };
    }

    /** The int8 values of a Q8_K or I8_PER_ROW conversion, row-major ({@code rows × cols}). */
    public byte[] quants(ActivationType type) {
        return requireReady(quantizedAs == type, type, quants);
    }

    /**
     * The scales of a conversion: per 256-block (Q8_K's {@code d}, block {@code b} of row {@code r} at
     * {@code r·cols/256 + b}) or per row (I8_PER_ROW's {@code s}).
     */
    public float[] scales(ActivationType type) {
        return requireReady(quantizedAs == type, type, scales);
    }

    /**
     * For Q8_K, the sum of each run of 32 consecutive values (run {@code g} covers values {@code 32g ..
     * 32g+31}): two of Q8_K's {@code bsums}, the correction terms of llama.cpp's TQ kernels.
     */
    public int[] sums32() {
        return requireReady(quantizedAs == ActivationType.Q8_K, ActivationType.Q8_K, sums32);
    }

    /** Per row, the sum of the I8_PER_ROW values (bitnet.cpp's correction term). */
    public int[] rowSums() {
        return requireReady(quantizedAs == ActivationType.I8_PER_ROW, ActivationType.I8_PER_ROW, rowSums);
    }

    private <T> T requireReady(boolean ready, ActivationType type, T buffer) {
        if (!ready) {
            throw new IllegalStateException(type + " activations were not prepared since the last set()");
        }
        return buffer;
    }
}
