package io.bitnet4j.train;

/** Which of the three compared models a run trains. */
public enum TrainMode {
    /** Quantization-aware: ternary weights and int8 activations in every forward pass (after the optional λ warm-up). */
    QAT,
    /** The float baseline: no quantization at all, evaluated and exported in float. */
    FLOAT,
    /** Post-training quantization: trained as {@link #FLOAT}, then evaluated and exported ternary/int8. */
    PTQ;

    /** How the forward pass quantizes when training at step {@code step} with the given λ. */
    Quantization training(double lambda) {
        return this == QAT ? new Quantization(true, lambda) : Quantization.OFF;
    }

    /** How the finished model is evaluated and exported. */
    public Quantization evaluation() {
        return this == FLOAT ? Quantization.OFF : Quantization.FULL;
    }
}
