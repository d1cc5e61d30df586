package io.bitnet4j.train;

import io.bitnet4j.kernel.WorkerPool;

/** The FFN's gate: {@code h = act(g) · u} element-wise. */
final class GatedActivationLayer {
    private GatedActivationLayer() {}

    static void forward(GateActivation act, float[] gate, float[] up, float[] out, WorkerPool pool) {
        pool.run(out.length, 4096, (w, from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = act.apply(gate[i]) * up[i];
            }
        });
    }

    /** {@code dg = dh · u · act'(g)}, {@code du = dh · act(g)}. */
    static void backward(GateActivation act, float[] gate, float[] up, float[] dh, float[] dGate, float[] dUp, WorkerPool pool) {
        pool.run(dh.length, 4096, (w, from, to) -> {
            for (int i = from; i < to; i++) {
                dGate[i] = dh[i] * up[i] * act.derivative(gate[i]);
                dUp[i] = dh[i] * act.apply(gate[i]);
            }
        });
    }
}
