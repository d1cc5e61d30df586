package io.bitnet4j.convert;

import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.quant.AbsmeanQuantizer;
import io.bitnet4j.quant.EpsMode;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.Rounding;
import io.bitnet4j.quant.TernaryWeight;
import java.util.Optional;

/**
 * A float tensor ternarized by absmean when first read: BitNet's {@code weight_quant}, which both BitNet float
 * checkpoints (their BitLinear layers ternarize at run time) and post-training quantization apply. The whole tensor
 * is read into one array; the result is kept until {@link #release()}, its {@link #stats()} after that.
 */
public final class AbsmeanTensor extends LazyTernaryTensor {
    /**
     * BitNet's reference {@code weight_quant} per tensor: {@code s = 1 / max(mean|W|, 1e-5)},
     * {@code t = clamp(round_half_even(W·s), −1, 1)}, scale {@code 1/s} (as transformers and bitnet.cpp's converter).
     */
    public static final AbsmeanQuantizer BITNET_WEIGHT_QUANT =
            new AbsmeanQuantizer(Granularity.perTensor(), Rounding.HALF_EVEN, AbsmeanQuantizer.DEFAULT_EPS, EpsMode.CLAMP);

    private final SourceTensor inner;
    private final AbsmeanQuantizer quantizer;
    private final ScaleOptimizer optimizer;
    private QuantStats stats;

    public AbsmeanTensor(SourceTensor inner, AbsmeanQuantizer quantizer, ScaleOptimizer optimizer) {
        super(inner.name(), inner.dims());
        this.inner = inner;
        this.quantizer = quantizer;
        this.optimizer = optimizer;
    }

    /** Ternarized with {@link #BITNET_WEIGHT_QUANT} and no scale optimization. */
    public static AbsmeanTensor bitnet(SourceTensor inner) {
        return new AbsmeanTensor(inner, BITNET_WEIGHT_QUANT, ScaleOptimizer.NONE);
    }

    /** The statistics of the ternarization, once the tensor has been read. */
    public Optional<QuantStats> stats() {
        return Optional.ofNullable(stats);
    }

    @Override
    TernaryWeight compute() {
        var shape = shape(name(), dims());
        RowSource rows = inner.rows();
        float[] w = new float[shape.size()];
        rows.readRows(0, Math.toIntExact(rows.rows()), w);
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalArgumentException("tensor '" + name() + "' has the value " + w[i] + " at row " + i / rows.rowLength()
                        + ", column " + i % rows.rowLength() + "; it cannot be quantized");
            }
        }
        TernaryWeight t = optimizer.optimize(name(), w, quantizer.quantize(w, shape));
        stats = new QuantStats(name(), w.length, relativeError(w, t.dequantize()), t.sparsity(), meanScale(t));
        return t;
    }

    private static double relativeError(float[] w, float[] q) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) w[i] - q[i];
            err += d * d;
            norm += (double) w[i] * w[i];
        }
        return norm == 0 ? 0 : Math.sqrt(err / norm);
    }

    private static float meanScale(TernaryWeight t) {
        double sum = 0;
        for (float s : t.scales()) {
            sum += s;
        }
        return (float) (sum / t.scales().length);
    }
}
