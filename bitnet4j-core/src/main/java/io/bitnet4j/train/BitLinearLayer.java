package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;
import io.bitnet4j.quant.AbsmeanQuantizer;
import io.bitnet4j.quant.ActivationQuantizer;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.ste.LambdaBlend;
import io.bitnet4j.tensor.Shape;
import java.util.Arrays;

/**
 * BitNet b1.58's linear layer {@code y = Q₈(x) · Q₃(W)ᵀ}: weights absmean-ternary per tensor ({@code trit·γ}), inputs
 * int8 absmax per token, both fake-quantized in float so the product is an ordinary float matmul. The master weights
 * stay float; the backward pass is straight-through (the rounding's derivative is taken as 1), so
 * {@code dx = dy · Q₃(W)} and {@code dW = dyᵀ · Q₈(x)}. With quantization off it is a plain float linear layer.
 */
final class BitLinearLayer {
    private static final AbsmeanQuantizer WEIGHTS = AbsmeanQuantizer.of(Granularity.perTensor());
    private static final ActivationQuantizer INPUTS = ActivationQuantizer.int8PerToken();

    private BitLinearLayer() {}

    /** The layer input as the matmul sees it: {@code x} itself unquantized, else its (λ-blended) int8 fake quantization. */
    static float[] quantizeInput(float[] x, int rows, int in, Quantization q, WorkerPool pool) {
        if (!q.enabled()) {
            return x;
        }
        float[] fake = fakeQuantizeTokens(x, rows, in, pool);
        return q.lambda() == 1 ? fake : LambdaBlend.forward(x, fake, q.lambda());
    }

    /**
     * {@link ActivationQuantizer#int8PerToken()}'s fake quantization ({@code code = round(x/s)} clamped to ±127 with
     * {@code s = max(absmax, eps)/127}, value {@code code·s}), the same arithmetic split over rows on the pool: the
     * quantizer itself runs on one thread and checks every value, which costs more than the matmul it feeds here.
     */
    static float[] fakeQuantizeTokens(float[] x, int rows, int in, WorkerPool pool) {
        float[] out = new float[rows * in];
        int qp = INPUTS.maxCode();
        pool.run(rows, 16, (w, from, to) -> {
            for (int r = from; r < to; r++) {
                float absmax = 0f;
                for (int i = r * in; i < (r + 1) * in; i++) {
                    absmax = Math.max(absmax, Math.abs(x[i]));
                }
                if (!Float.isFinite(absmax)) {
                    throw new IllegalStateException("activation row " + r + " is not finite: training diverged");
                }
                if (absmax == 0f) {
                    continue;
                }
                float scale = Math.max(absmax, INPUTS.eps()) / qp;
                for (int i = r * in; i < (r + 1) * in; i++) {
                    out[i] = INPUTS.rounding().roundClamp(x[i] / scale, -qp, qp) * scale;
                }
            }
        });
        return out;
    }

    /** Writes the weight of {@code slot} as the matmul sees it into {@code out} at the same offset. */
    static void quantizeWeight(float[] params, ParamLayout.Slot slot, float[] out, Quantization q) {
        float[] w = Arrays.copyOfRange(params, slot.offset(), slot.offset() + slot.size());
        float[] used = w;
        if (q.enabled()) {
            float[] fake = WEIGHTS.fakeQuantize(w, Shape.of(slot.rows(), slot.cols()));
            used = q.lambda() == 1 ? fake : LambdaBlend.forward(w, fake, q.lambda());
        }
        System.arraycopy(used, 0, out, slot.offset(), slot.size());
    }

    /** {@code y[rows, out] = xq · wqᵀ}. */
    static void forward(float[] xq, float[] wq, ParamLayout.Slot w, float[] y, int rows, WorkerPool pool) {
        FloatMatmul.abT(xq, 0, wq, w.offset(), y, 0, rows, w.rows(), w.cols(), false, pool);
    }

    /**
     * Adds {@code dyᵀ·xq} to the weight gradient and writes (or adds, when {@code accumulateDx}) {@code dy·wq} to {@code dx}.
     */
    static void backward(float[] dy, float[] xq, float[] wq, ParamLayout.Slot w, float[] dx, boolean accumulateDx, float[] grads,
                         int rows, Scratch scratch, WorkerPool pool) {
        int out = w.rows(), in = w.cols();
        float[] wT = scratch.a(in * out);
        FloatMatmul.transpose(wq, w.offset(), out, in, wT, 0, pool);
        FloatMatmul.abT(dy, 0, wT, 0, dx, 0, rows, in, out, accumulateDx, pool);
        float[] dyT = scratch.a(out * rows);
        float[] xT = scratch.b(in * rows);
        FloatMatmul.transpose(dy, 0, rows, out, dyT, 0, pool);
        FloatMatmul.transpose(xq, 0, rows, in, xT, 0, pool);
        FloatMatmul.abT(dyT, 0, xT, 0, grads, w.offset(), out, in, rows, true, pool);
    }
}
