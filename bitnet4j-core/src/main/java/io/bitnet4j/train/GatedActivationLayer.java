package io.bitnet4j.train;

/** The FFN's gate: {@code h = act(g) · u} element-wise. */
final class GatedActivationLayer {
    private GatedActivationLayer() {}

    static void forward(GateActivation act, float[] gate, float[] up, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = act.apply(gate[i]) * up[i];
        }
    }

    /** {@code dg = dh · u · act'(g)}, {@code du = dh · act(g)}. */
    static void backward(GateActivation act, float[] gate, float[] up, float[] dh, float[] dGate, float[] dUp) {
        for (int i = 0; i < dh.length; i++) {
            dGate[i] = dh[i] * up[i] * act.derivative(gate[i]);
            dUp[i] = dh[i] * act.apply(gate[i]);
        }
    }
}
